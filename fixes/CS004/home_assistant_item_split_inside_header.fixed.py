# fix-args: --unsafe-fixes --target-version py310
"""The other context manager of the header goes on to a second line, which
only the header's brackets allow: once alone, it keeps brackets of its own."""

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession


async def fetch_banner(hass: HomeAssistant, url: str) -> str:
    session = async_get_clientsession(hass)
    async with (session.get(url)
        as response):
        return await response.text()


async def fetch_motd(hass: HomeAssistant, url: str) -> str:
    session = async_get_clientsession(hass)
    async with session.get(
            url
        ) as response:
        return await response.text()
