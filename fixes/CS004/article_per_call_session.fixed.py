# fix-args: --unsafe-fixes
"""The article's bug #04: the session *is* closed by `async with`, but a new
one (and a new connection pool) is made for every call."""
import aiohttp

_http_session: "aiohttp.ClientSession | None" = None


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


async def fetch_data(url: str):
    session = await get_http_session()
    async with session.get(url) as resp:
        return await resp.json()
    # session.close() never called explicitly
    # Pool hangs until GC runs (or doesn't)
