# fix-args: --unsafe-fixes --target-version py311
import asyncio
import subprocess as sp
import urllib.request as ur
from os import system as shell
import aiohttp
from requests import Session as HttpSession
from sqlite3 import connect

import time

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


nap = time.sleep


async def handler(url):
    session = await get_http_session()
    async with session.get(url):
        pass
    await asyncio.to_thread(sp.run, ["ls"])
    await asyncio.to_thread(shell, "true")
    await asyncio.to_thread(ur.urlopen, url)
    await asyncio.sleep(1)
    client = HttpSession()
    alias = client
    await asyncio.to_thread(alias.delete, url)
    connect("db.sqlite3").execute("SELECT 1")
