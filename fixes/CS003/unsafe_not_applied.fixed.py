import time

import requests
import asyncio


async def poll(url):
    await asyncio.sleep(1)
    return requests.get(url)
