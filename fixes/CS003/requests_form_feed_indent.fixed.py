# fix-args: --unsafe-fixes
"""A form feed (a page break) among the blanks before a statement resets its
indentation: blanks added to move the line into a new block go after it."""
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


async def fetch_title(url):
    session = await get_http_session()
    async with session.get(url, timeout=aiohttp.ClientTimeout(sock_connect=10, sock_read=10)) as r:
        return await r.text()
