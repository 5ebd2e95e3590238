# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import asyncio

import requests


async def fetch(url):
    r = await asyncio.to_thread(requests.get, url, timeout=5)
    return r.json()
