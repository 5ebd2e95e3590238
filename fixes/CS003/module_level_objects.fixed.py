# fix-args: --unsafe-fixes --target-version py311
import asyncio

import httpx
import requests

SESSION = requests.Session()
CLIENT = httpx.Client(timeout=5)


async def fetch(url):
    page = await asyncio.to_thread(SESSION.get, url)
    await asyncio.to_thread(CLIENT.post, url, json=page.json())
    return page
