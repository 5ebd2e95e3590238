# fix-args: --unsafe-fixes --target-version py311
import subprocess as sp
import urllib.request as ur
from os import system as shell
from requests import Session as HttpSession
from requests import get as fetch
from sqlite3 import connect

import time

nap = time.sleep


async def handler(url):
    fetch(url)
    sp.run(["ls"])
    shell("true")
    ur.urlopen(url)
    nap(1)
    client = HttpSession()
    alias = client
    alias.delete(url)
    connect("db.sqlite3").execute("SELECT 1")
