# fix-args: --unsafe-fixes --target-version py311
import requests
import httpx
import urllib.request
import urllib3
import http.client
import asyncio


async def fetch(url, payload):
    r = await asyncio.to_thread(requests.get, url, params={"q": 1}, timeout=5)
    await asyncio.to_thread(requests.post, url, json=payload)
    data = (await asyncio.to_thread(requests.get, url)).json()
    session = requests.Session()
    await asyncio.to_thread(session.get, url)
    with requests.Session() as s:
        await asyncio.to_thread(s.post, url, data=payload)
    await asyncio.to_thread(requests.Session().put, url)
    await asyncio.to_thread(urllib.request.urlopen, url)
    pool = urllib3.PoolManager()
    await asyncio.to_thread(pool.request, "GET", url)
    conn = http.client.HTTPSConnection("example.com")
    await asyncio.to_thread(conn.request, "GET", "/")
    resp = await asyncio.to_thread(conn.getresponse)
    await asyncio.to_thread(httpx.get, url)
    with httpx.Client() as client:
        await asyncio.to_thread(client.get, url)
        with client.stream("GET", url) as stream:
            pass
    return r, data, resp
