# fix-args: --unsafe-fixes
"""The script's coroutine is also called by a request handler of the module:
it runs per request, not once."""

import aiohttp
from aiohttp import web

DATA_URL = "https://example.org/data.txt"


async def fetch_data() -> str:
    async with aiohttp.ClientSession() as session, session.get(DATA_URL) as resp:
        return await resp.text()


async def handle(request: web.Request) -> web.Response:
    return web.Response(text=await fetch_data())


def make_app() -> web.Application:
    app = web.Application()
    app.router.add_get("/data", handle)
    return app


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(fetch_data()))
