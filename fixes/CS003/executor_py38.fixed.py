# fix-args: --unsafe-fixes --target-version py38
import asyncio
import functools
import subprocess

import aiohttp
import requests

_http_session: "aiohttp.ClientSession | None" = None


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


async def old_python(url, args, cmd):
    session = await get_http_session()
    await asyncio.get_running_loop().run_in_executor(None, subprocess.run, cmd)
    async with session.get(
        url, timeout=aiohttp.ClientTimeout(sock_connect=5, sock_read=5)
    ):
        pass
    await asyncio.get_running_loop().run_in_executor(
        None,
        functools.partial(subprocess.check_output,
        cmd,
        text=True,
    ))


async def with_loop(url, args):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, subprocess.call, *args)
    return await loop.run_in_executor(
        None, functools.partial(requests.post, url, json={})
    )
