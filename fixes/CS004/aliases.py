# fix-args: --unsafe-fixes --target-version py311
from aiohttp import ClientSession as Session
import asyncpg as pg


async def load(dsn, key):
    db = await pg.connect(dsn)
    value = await db.fetchval("SELECT v FROM kv WHERE k = $1", key)
    return value


async def status(url):
    async with Session() as http:
        async with http.get(url) as resp:
            return resp.status
