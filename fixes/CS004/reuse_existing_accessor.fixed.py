# fix-args: --unsafe-fixes --target-version py311
"""The article's shared session is already here: reuse it, and add the
close function it lacks."""
import aiohttp

_client_session: aiohttp.ClientSession | None = None


async def get_session():
    global _client_session
    if _client_session is None:
        _client_session = aiohttp.ClientSession()
    return _client_session


async def fetch_data(url: str):
    session = await get_session()
    async with session.get(url) as resp:
        return await resp.json()


async def fetch_status(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return resp.status
