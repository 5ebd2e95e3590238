import asyncio
import functools
import subprocess
import time
from pathlib import Path

import aiohttp
import requests
from aiofiles import open
from myapp.threads import offload


async def nested_sync_code(url):
    def fetch():
        return requests.get(url)

    callback = lambda: subprocess.run(["ls"])  # noqa: E731
    await asyncio.to_thread(fetch)
    await asyncio.to_thread(callback)


async def passed_not_called(url, cmd):
    await asyncio.to_thread(time.sleep, 1)
    await asyncio.to_thread(requests.get, url, timeout=5)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, subprocess.run, cmd)
    await loop.run_in_executor(None, functools.partial(requests.post, url, json={}))
    await asyncio.sleep(0)


async def shadowed(requests, subprocess, path):
    requests.get("https://example.com")
    subprocess.run(["ls"])
    async with open(path) as f:
        return await f.read()


async def unrelated_objects(cursor, conn, session: aiohttp.ClientSession, pool):
    cursor.execute("SELECT 1")
    cursor.fetchall()
    conn.commit()
    await session.get("https://example.com")
    async with pool.acquire() as db:
        await db.execute("SELECT 1")
    proc = await asyncio.create_subprocess_exec("ls")
    await proc.wait()
    await proc.communicate()
    path = Path("a.txt").with_suffix(".b")
    return path.name


def even(n):
    return n == 0 or odd(n - 1)


def odd(n):
    return n != 0 and even(n - 1)


def sleeper():
    time.sleep(1)


@offload  # the decorator may make it anything (a coroutine function, a thread launcher)
def wrapped():
    time.sleep(1)


async def helpers():
    even(10)
    wrapped()
    await asyncio.to_thread(sleeper)
    await asyncio.get_running_loop().run_in_executor(None, sleeper)


async def outer():
    async def inner():
        return None

    await inner()
