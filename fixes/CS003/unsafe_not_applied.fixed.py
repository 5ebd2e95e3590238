import asyncio

import requests


async def poll(url):
    await asyncio.sleep(1)
    return requests.get(url)
