# fix-args: --unsafe-fixes
"""The script's coroutine is also called by a request handler of the module:
it runs per request, not once."""

import aiohttp
from aiohttp import web

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


DATA_URL = "https://example.org/data.txt"


async def fetch_data() -> str:
    session = await get_http_session()
    async with session.get(DATA_URL) as resp:
        return await resp.text()


async def handle(request: web.Request) -> web.Response:
    return web.Response(text=await fetch_data())


def make_app() -> web.Application:
    app = web.Application()
    app.on_cleanup.append(lambda _app: close_http_session())
    app.router.add_get("/data", handle)
    return app


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(fetch_data()))
