# fix-args: --unsafe-fixes --target-version py311
import subprocess as sp
import urllib.request as ur
from os import system as shell
from requests import Session as HttpSession
from requests import get as fetch
from sqlite3 import connect

import time
import asyncio

nap = time.sleep


async def handler(url):
    await asyncio.to_thread(fetch, url)
    await asyncio.to_thread(sp.run, ["ls"])
    await asyncio.to_thread(shell, "true")
    await asyncio.to_thread(ur.urlopen, url)
    await asyncio.sleep(1)
    client = HttpSession()
    alias = client
    await asyncio.to_thread(alias.delete, url)
    connect("db.sqlite3").execute("SELECT 1")
