# fix-args: --unsafe-fixes --target-version py311
# httpx2 continues httpx with the same API: its clients are sessions too.
import httpx2
from starlette.applications import Starlette

app = Starlette()


async def proxy(request):
    async with httpx2.AsyncClient() as client:
        response = await client.get("https://upstream.example/")
        return response.text


async def revoke(token):
    client = httpx2.AsyncClient()
    response = await client.post("https://upstream.example/revoke", data={"token": token})
    return response.status_code
