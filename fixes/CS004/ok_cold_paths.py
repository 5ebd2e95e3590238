"""Per-call sessions on paths where a shared one would not help."""
import functools
from datetime import timedelta

import aiohttp
import httpx

_VIEWS: dict = {}


async def notify(url, cookies, transport):
    # Configured for this call: a shared client cannot carry the cookies or
    # the pinned transport.
    async with httpx.AsyncClient(cookies=cookies, transport=transport) as client:
        (await client.post(url)).raise_for_status()


async def get_view(name, url):
    # Cached: the client is created once per view per process.
    try:
        return _VIEWS[name]
    except KeyError:
        pass
    async with httpx.AsyncClient() as client:
        _VIEWS[name] = (await client.get(url)).json()
    return _VIEWS[name]


async def get_index(url):
    if url in _VIEWS:
        return _VIEWS[url]
    async with httpx.AsyncClient() as client:
        _VIEWS[url] = (await client.get(url)).json()
    return _VIEWS[url]


@functools.lru_cache
async def server_version(url):
    async with aiohttp.ClientSession() as session:
        return await (await session.get(url)).text()


async def async_setup_entry(url):
    # Set-up runs once.
    async with aiohttp.ClientSession() as session:
        return await session.get(url)


async def heartbeat(every=timedelta(minutes=10)):
    # A periodic job, at most once a minute.
    async with httpx.AsyncClient() as client:
        await client.post("https://example.com/heartbeat")
