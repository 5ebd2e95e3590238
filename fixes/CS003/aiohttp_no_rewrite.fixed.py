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


session = requests.Session()


async def returned(url):
    r = await asyncio.to_thread(requests.get, url)
    return r


async def passed_on(url, sink):
    r = await asyncio.to_thread(requests.get, url)
    sink(r)


async def stored(url, cache):
    r = await asyncio.to_thread(requests.get, url)
    cache[url] = r


async def streamed(url):
    r = await asyncio.to_thread(requests.get, url, stream=True)
    for chunk in r.iter_content(1024):
        print(chunk)


async def cookies(url):
    r = await asyncio.to_thread(requests.get, url)
    return r.cookies.get("sid")


async def used_after_branch(url, fast):
    if fast:
        r = await asyncio.to_thread(requests.get, url)
    else:
        r = None
    return r.status_code if r else None


async def captured(url):
    r = await asyncio.to_thread(requests.get, url)
    return lambda: r.json()


async def in_generator(url):
    r = await asyncio.to_thread(requests.get, url)
    return list(x for x in r.json())


async def json_kwargs(url):
    r = await asyncio.to_thread(requests.get, url)
    return r.json(parse_float=str)


async def through_session(url):
    r = await asyncio.to_thread(session.get, url)
    return r.json()


async def not_a_plain_assignment(url, out):
    session = await get_http_session()
    out.r = await asyncio.to_thread(requests.get, url)
    async with session.get(url) as response:
        data: dict = await response.json(content_type=None)
    return data


async def auth(url):
    r = await asyncio.to_thread(requests.get, url, auth=("user", "pw"))
    return r.json()


async def handles_requests_errors(url):
    try:
        r = await asyncio.to_thread(requests.get, url, timeout=5)
        r.raise_for_status()
    except (requests.Timeout, requests.HTTPError):
        return None
    return None
