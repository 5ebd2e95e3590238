# fix-args: --unsafe-fixes --target-version py311
"""The first indented line continues with a backslash: new code is indented with blanks only."""
import httpx
from starlette.applications import Starlette

_http_client: httpx.AsyncClient | None = None


async def get_http_client() -> httpx.AsyncClient:
    """Return the module's shared HTTP session, creating it on first use."""
    global _http_client
    # Nothing is awaited between the check and the assignment, so callers
    # running concurrently on the event loop cannot create two sessions.
    if _http_client is None:
        _http_client = httpx.AsyncClient()
    return _http_client


async def close_http_client() -> None:
    """Close the shared HTTP session; call once at shutdown."""
    global _http_client
    session, _http_client = _http_client, None
    if session is not None:
        await session.aclose()


async def warm_up():
    \
    print("ready")


app = Starlette(on_startup=[warm_up])
app.add_event_handler("shutdown", close_http_client)


async def proxy(request):
    client = await get_http_client()
    response = await client.get("https://upstream.example/")
    return response.text
