# fix-args: --unsafe-fixes --target-version py310
"""The other context manager of the header goes on to a second line, which
only the header's brackets allow: once alone, it keeps brackets of its own."""
import aiohttp

from homeassistant.core import HomeAssistant


async def fetch_banner(hass: HomeAssistant, url: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url)
        as response,
    ):
        return await response.text()


async def fetch_motd(hass: HomeAssistant, url: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(
            url
        ) as response,
    ):
        return await response.text()
