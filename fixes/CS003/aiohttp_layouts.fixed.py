# fix-args: --unsafe-fixes --target-version py311
"""Nested responses, a multi-line f-string, a try block."""
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


async def compare(a, b):
    session = await get_http_session()
    async with session.get(a) as left:
        async with session.get(b) as right:
            print(
                await left.json(content_type=None) == await right.json(content_type=None)
            )


async def report(url):
    session = await get_http_session()
    async with session.get(url) as r:
        msg = f"""status {r.status}
{await r.text()}
  (ok: {r.ok})"""
    return msg


async def tolerant(url):
    session = await get_http_session()
    try:
        async with session.get(url) as r:
            data = await r.json(content_type=None)
    except ValueError:
        data = None
    return data


async def poll(urls):
    session = await get_http_session()
    for url in urls:
        async with session.get(url) as r:
            if not r.ok:
                continue
            yield await r.json(content_type=None)


async def ping(url):
    session = await get_http_session()
    async with session.head(url):
        pass
