# fix-args: --unsafe-fixes
import aiohttp
import asyncpg


async def configured(url, token):
    # A session with its own settings: flagged, but not hoisted.
    async with aiohttp.ClientSession(headers={"Authorization": token}) as session:
        async with session.get(url) as resp:
            return await resp.json()


async def used_after_block(dsn, flag):
    if flag:
        conn = await asyncpg.connect(dsn)
        await conn.execute("SELECT 1")
    return conn.is_closed()


async def rebound(dsn):
    conn = await asyncpg.connect(dsn)
    await conn.execute("SELECT 1")
    conn = await asyncpg.connect(dsn)
    await conn.execute("SELECT 2")
