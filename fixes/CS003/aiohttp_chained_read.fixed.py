# fix-args: --unsafe-fixes --target-version py311
import asyncio

import aiohttp
import requests

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


async def rates(base):
    session = await get_http_session()
    async with session.get("https://fx.example/latest", params={"base": base}, timeout=aiohttp.ClientTimeout(sock_connect=5, sock_read=5)) as response:
        data = await response.json(content_type=None)
    return data["rates"]


async def create(url, item):
    session = await get_http_session()
    async with session.post(
        url,
        json=item,
    ) as response:
        return (await response.json(content_type=None))["id"]


async def page_size(url, response):
    session = await get_http_session()
    async with session.get(url) as response_1:
        return len(await response_1.read())


async def not_rewritten(url):
    lines = (await asyncio.to_thread(requests.get, url)).iter_lines()
    names = list(requests.get(u).text for u in url)
    return lines, names
