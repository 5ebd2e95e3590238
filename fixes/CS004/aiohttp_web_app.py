# fix-args: --unsafe-fixes --target-version py311
import aiohttp
from aiohttp import web


async def handle(request):
    async with aiohttp.ClientSession() as session:
        async with session.get("https://upstream.example/") as resp:
            return web.Response(text=await resp.text())


def create_app():
    app = web.Application()
    app.router.add_get("/", handle)
    return app
