# fix-args: --unsafe-fixes --target-version py311
from requests import get, request

TOKEN = "secret"


async def search(query, limit):
    r = get(
        "https://api.example.com/search",
        params={"q": query, "limit": limit},
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )
    r.raise_for_status()
    return r.json()


async def insecure(url):
    r = get(url, timeout=(3.05, 27), verify=False, allow_redirects=False)
    return r.status_code


async def generic(method, url):
    r = request(method, url, timeout=None)
    return r.text
