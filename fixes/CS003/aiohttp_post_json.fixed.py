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


async def create_order(order):
    session = await get_http_session()
    async with session.post("https://shop.example/orders", json=order, timeout=aiohttp.ClientTimeout(sock_connect=5, sock_read=5)) as r:
        r.raise_for_status()
        created = await r.json(content_type=None)
    return created["id"]


async def notify(hook_url, text):
    session = await get_http_session()
    async with session.post(hook_url, data={"text": text}):
        pass
