# fix-args: --unsafe-fixes --target-version py311
from aiohttp import ClientSession as Session
import asyncpg as pg


async def load(dsn, key):
    db = await pg.connect(dsn)
    try:
        value = await db.fetchval("SELECT v FROM kv WHERE k = $1", key)
        return value
    finally:
        await db.close()


async def status(url):
    async with Session() as http:
        async with http.get(url) as resp:
            return resp.status
