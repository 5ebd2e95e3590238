# fix-args: --unsafe-fixes --target-version py312
"""Home Assistant code uses Home Assistant's own shared sessions."""
import aiohttp
import httpx

from homeassistant.core import HomeAssistant


async def fetch_redirect_uris(hass: HomeAssistant, url: str) -> list[str]:
    found = []
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as resp,
    ):
        async for chunk in resp.content.iter_chunked(1024):
            found.append(chunk.decode())
    return found


async def fetch_status(hass: HomeAssistant, url: str) -> int:
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    return response.status_code
