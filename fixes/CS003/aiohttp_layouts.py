# fix-args: --unsafe-fixes --target-version py311
"""Nested responses, a multi-line f-string, a try block."""
import requests


async def compare(a, b):
    left = requests.get(a)
    right = requests.get(b)
    print(left.json() == right.json())


async def report(url):
    r = requests.get(url)
    msg = f"""status {r.status_code}
{r.text}
  (ok: {r.ok})"""
    return msg


async def tolerant(url):
    try:
        r = requests.get(url)
        data = r.json()
    except ValueError:
        data = None
    return data


async def poll(urls):
    for url in urls:
        r = requests.get(url)
        if not r.ok:
            continue
        yield r.json()


async def ping(url):
    requests.head(url)
