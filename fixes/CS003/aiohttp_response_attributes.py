# fix-args: --unsafe-fixes --target-version py311
import logging

import requests as rq

log = logging.getLogger(__name__)


async def probe(url):
    resp = rq.get(url)  # the page
    resp.raise_for_status()
    if resp.status_code != 200:
        log.warning("odd status %s from %s", resp.status_code, resp.headers.get("server"))
    body = resp.text
    size = len(resp.content)
    first = resp.json()["items"][0]
    return body, size, first, resp.ok


async def download(url, path):
    response = rq.get(url)
    payload = response.content
    return payload
