# fix-args: --unsafe-fixes --target-version py311
import logging

import aiohttp

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


log = logging.getLogger(__name__)


async def probe(url):
    session = await get_http_session()
    async with session.get(url) as resp:  # the page
        resp.raise_for_status()
        if resp.status != 200:
            log.warning(
                "odd status %s from %s", resp.status, resp.headers.get("server")
            )
        body = await resp.text()
        size = len(await resp.read())
        first = (await resp.json(content_type=None))["items"][0]
        return body, size, first, resp.ok


async def download(url, path):
    session = await get_http_session()
    async with session.get(url) as response:
        payload = await response.read()
    return payload
