# fix-args: --unsafe-fixes --target-version py311
import httpx
import requests

SESSION = requests.Session()
CLIENT = httpx.Client(timeout=5)


async def fetch(url):
    page = SESSION.get(url)
    CLIENT.post(url, json=page.json())
    return page
