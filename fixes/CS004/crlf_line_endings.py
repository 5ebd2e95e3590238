import asyncpg


async def ping(dsn):
    conn = await asyncpg.connect(dsn)
    # ping
    return await conn.fetchval("SELECT 1")
