# fix-args: --unsafe-fixes --target-version py311
"""The first indented line continues with a backslash: new code is indented with blanks only."""
import httpx
from starlette.applications import Starlette


async def warm_up():
    \
    print("ready")


app = Starlette(on_startup=[warm_up])


async def proxy(request):
    async with httpx.AsyncClient() as client:
        response = await client.get("https://upstream.example/")
        return response.text
