# fix-args: --unsafe-fixes --target-version py311
"""Several handlers, one shared session."""
import aiohttp

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


async def fetch_json(url):
    session = await get_http_session()
    async with session.get(url) as resp:
        return await resp.json()


async def fetch_text(url):
    session = await get_http_session()  # per call
    # Read the body.
    async with session.get(url) as resp:
        return await resp.text()


async def post_form(url, data):
    session = await get_http_session()
    async with session.post(url, data=data) as resp:
        return resp.status


async def head(url):
    session = await get_http_session()
    async with session.head(url) as resp:
        return resp.headers
