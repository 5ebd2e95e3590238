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


BASE = "https://api.example.com"


async def user_with_orders(uid):
    session = await get_http_session()
    async with session.get(f"{BASE}/users/{uid}") as r:
        user = await r.json(content_type=None)
    async with session.get(f"{BASE}/users/{uid}/orders") as r:
        user["orders"] = await r.json(content_type=None)
    return user


async def health():
    session = await get_http_session()
    async with session.head(BASE) as response:
        return response.ok


async def delete_user(uid):
    session = await get_http_session()
    async with session.delete(f"{BASE}/users/{uid}") as r:
        if r.status == 404:
            return False
        r.raise_for_status()
    return True
