# fix-args: --unsafe-fixes --target-version py311
import requests
import httpx
import urllib.request
import urllib3
import http.client


async def fetch(url, payload):
    r = requests.get(url, params={"q": 1}, timeout=5)
    requests.post(url, json=payload)
    data = requests.get(url).json()
    session = requests.Session()
    session.get(url)
    with requests.Session() as s:
        s.post(url, data=payload)
    requests.Session().put(url)
    urllib.request.urlopen(url)
    pool = urllib3.PoolManager()
    pool.request("GET", url)
    conn = http.client.HTTPSConnection("example.com")
    conn.request("GET", "/")
    resp = conn.getresponse()
    httpx.get(url)
    with httpx.Client() as client:
        client.get(url)
        with client.stream("GET", url) as stream:
            pass
    return r, data, resp
