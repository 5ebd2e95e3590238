# fix-args: --unsafe-fixes --target-version py311
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


async def fetch_user(user_id):
    """Fetch one user."""
    session = await get_http_session()
    async with session.get(f"https://api.example.com/users/{user_id}") as r:
        data = await r.json(content_type=None)
    return data["name"]
