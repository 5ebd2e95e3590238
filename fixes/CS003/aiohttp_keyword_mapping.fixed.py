# fix-args: --unsafe-fixes --target-version py311
import aiohttp
from requests import get, request

_http_session: aiohttp.ClientSession | None = None


async def get_http_session() -> aiohttp.ClientSession:
    """Return the module's shared HTTP session, creating it on first use."""
    global _http_session
    # Nothing is awaited between the check and the assignment, so callers
    # running concurrently on the event loop cannot create two sessions.
    if _http_session is None:
        _http_session = aiohttp.ClientSession()
    return _http_session


async def close_http_session() -> None:
    """Close the shared HTTP session; call once at shutdown."""
    global _http_session
    session, _http_session = _http_session, None
    if session is not None:
        await session.close()


TOKEN = "secret"


async def search(query, limit):
    session = await get_http_session()
    async with session.get(
        "https://api.example.com/search",
        params={"q": query, "limit": limit},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=aiohttp.ClientTimeout(sock_connect=10, sock_read=10),
    ) as r:
        r.raise_for_status()
        return await r.json(content_type=None)


async def insecure(url):
    session = await get_http_session()
    async with session.get(url, timeout=aiohttp.ClientTimeout(sock_connect=3.05, sock_read=27), ssl=False, allow_redirects=False) as r:
        return r.status


async def generic(method, url):
    session = await get_http_session()
    async with session.request(method, url, timeout=aiohttp.ClientTimeout(sock_connect=None, sock_read=None)) as r:
        return await r.text()
