# fix-args: --unsafe-fixes --target-version py311
import aiohttp
import asyncpg as pg

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


async def load(dsn, key):
    db = await pg.connect(dsn)
    try:
        value = await db.fetchval("SELECT v FROM kv WHERE k = $1", key)
        return value
    finally:
        await db.close()


async def status(url):
    http = await get_http_session()
    async with http.get(url) as resp:
        return resp.status
