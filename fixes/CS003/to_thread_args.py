# fix-args: --unsafe-fixes --target-version py311
import subprocess

import requests


async def calls(url, args, options, cmd):
    requests.get(url, *args, timeout=5, **options)
    subprocess.run(*args)
    subprocess.run(**options)
    r = requests.get(
        url,
        headers={"A": "b"},
        timeout=10,
    )
    text = requests.get(url).encoding
    ok = requests.head(url) or None
    ready = [requests.head(u) for u in args]
    total = sum(len(requests.get(u).content) for u in args)
    return r, text, ok, ready, total, subprocess.check_output(cmd)


async def collections(url, urls):
    pair = (requests.get(url), 1)
    mapping = {"a": requests.get(url), "b": [requests.head(u) for u in urls]}
    return {u: requests.get(u) for u in urls}, pair, mapping
