# fix-args: --unsafe-fixes --target-version py311
import asyncio
import subprocess

import requests


async def calls(url, args, options, cmd):
    await asyncio.to_thread(requests.get, url, *args, timeout=5, **options)
    await asyncio.to_thread(subprocess.run, *args)
    await asyncio.to_thread(subprocess.run, **options)
    r = await asyncio.to_thread(
        requests.get,
        url,
        headers={"A": "b"},
        timeout=10,
    )
    text = (await asyncio.to_thread(requests.get, url)).encoding
    ok = (await asyncio.to_thread(requests.head, url)) or None
    ready = [await asyncio.to_thread(requests.head, u) for u in args]
    total = sum(len(requests.get(u).content) for u in args)
    return r, text, ok, ready, total, await asyncio.to_thread(
        subprocess.check_output, cmd
    )


async def collections(url, urls):
    pair = (await asyncio.to_thread(requests.get, url), 1)
    mapping = {"a": await asyncio.to_thread(requests.get, url), "b": [await asyncio.to_thread(requests.head, u) for u in urls]}
    return {u: await asyncio.to_thread(requests.get, u) for u in urls}, pair, mapping
