# fix-args: --unsafe-fixes --target-version py311
# httpx2 continues httpx with the same API: its clients are sessions too.
import collections.abc
import contextlib

import httpx2
from starlette.applications import Starlette

_http_client: httpx2.AsyncClient | None = None


async def get_http_client() -> httpx2.AsyncClient:
    """Return the module's shared HTTP session, creating it on first use."""
    global _http_client
    # Nothing is awaited between the check and the assignment, so callers
    # running concurrently on the event loop cannot create two sessions.
    if _http_client is None:
        _http_client = httpx2.AsyncClient()
    return _http_client


async def close_http_client() -> None:
    """Close the shared HTTP session; call once at shutdown."""
    global _http_client
    session, _http_client = _http_client, None
    if session is not None:
        await session.aclose()


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> collections.abc.AsyncIterator[None]:
    yield
    await close_http_client()


app = Starlette(lifespan=lifespan)


async def proxy(request):
    client = await get_http_client()
    response = await client.get("https://upstream.example/")
    return response.text


async def revoke(token):
    client = await get_http_client()
    response = await client.post("https://upstream.example/revoke", data={"token": token})
    return response.status_code
