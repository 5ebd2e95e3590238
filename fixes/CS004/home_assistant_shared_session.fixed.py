# fix-args: --unsafe-fixes --target-version py312
"""Home Assistant code uses Home Assistant's own shared sessions."""
import aiohttp

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.httpx_client import get_async_client


async def fetch_redirect_uris(hass: HomeAssistant, url: str) -> list[str]:
    found = []
    session = async_get_clientsession(hass)
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp:
        async for chunk in resp.content.iter_chunked(1024):
            found.append(chunk.decode())
    return found


async def fetch_status(hass: HomeAssistant, url: str) -> int:
    client = get_async_client(hass)
    response = await client.get(url)
    return response.status_code
