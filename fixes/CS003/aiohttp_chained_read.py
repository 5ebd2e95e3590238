# fix-args: --unsafe-fixes --target-version py311
import requests


async def rates(base):
    data = requests.get("https://fx.example/latest", params={"base": base}, timeout=5).json()
    return data["rates"]


async def create(url, item):
    return requests.post(
        url,
        json=item,
    ).json()["id"]


async def page_size(url, response):
    return len(requests.get(url).content)


async def not_rewritten(url):
    lines = requests.get(url).iter_lines()
    names = list(requests.get(u).text for u in url)
    return lines, names
