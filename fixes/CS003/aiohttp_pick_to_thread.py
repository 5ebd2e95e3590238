# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import requests


async def fetch(url):
    r = requests.get(url, timeout=5)
    return r.json()
