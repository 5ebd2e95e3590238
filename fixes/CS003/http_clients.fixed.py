# fix-args: --unsafe-fixes --target-version py311
import aiohttp
import requests
import httpx
import asyncio
import urllib.request
import urllib3
import http.client

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


async def fetch(url, payload):
    session_1 = await get_http_session()
    r = await asyncio.to_thread(requests.get, url, params={"q": 1}, timeout=5)
    async with session_1.post(url, json=payload):
        pass
    async with session_1.get(url) as response:
        data = await response.json(content_type=None)
    session = requests.Session()
    await asyncio.to_thread(session.get, url)
    with requests.Session() as s:
        await asyncio.to_thread(s.post, url, data=payload)
    await asyncio.to_thread(requests.Session().put, url)
    await asyncio.to_thread(urllib.request.urlopen, url)
    pool = urllib3.PoolManager()
    await asyncio.to_thread(pool.request, "GET", url)
    conn = http.client.HTTPSConnection("example.com")
    await asyncio.to_thread(conn.request, "GET", "/")
    resp = await asyncio.to_thread(conn.getresponse)
    await asyncio.to_thread(httpx.get, url)
    with httpx.Client() as client:
        await asyncio.to_thread(client.get, url)
        with client.stream("GET", url) as stream:
            pass
    return r, data, resp
