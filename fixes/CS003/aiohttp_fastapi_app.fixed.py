# fix-args: --unsafe-fixes --target-version py311
import collections.abc
import contextlib

import aiohttp
from fastapi import FastAPI

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


@contextlib.asynccontextmanager
async def lifespan(_app: object) -> collections.abc.AsyncIterator[None]:
    yield
    await close_http_session()


app = FastAPI(title="weather", lifespan=lifespan)


@app.get("/forecast/{city}")
async def forecast(city: str):
    session = await get_http_session()
    async with session.get("https://weather.example/api", params={"city": city}, timeout=aiohttp.ClientTimeout(sock_connect=5, sock_read=5)) as r:
        if r.status == 404:
            return {"error": "unknown city"}
        return await r.json(content_type=None)
