# fix-args: --unsafe-fixes
"""The article's bug #04: the session *is* closed by `async with`, but a new
one (and a new connection pool) is made for every call."""
import aiohttp


async def fetch_data(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return await resp.json()
    # session.close() never called explicitly
    # Pool hangs until GC runs (or doesn't)
