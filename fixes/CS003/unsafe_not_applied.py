import time

import requests


async def poll(url):
    time.sleep(1)
    return requests.get(url)
