# fix-args: --unsafe-fixes
"""A form feed (a page break) among the blanks before a statement resets its
indentation: blanks added to move the line into a new block go after it."""
import requests


async def fetch_title(url):
    r = requests.get(url, timeout=10)
    return r.text
