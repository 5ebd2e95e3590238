import asyncpg


async def ping(dsn):
    conn = await asyncpg.connect(dsn)
    try:
        # ping
        return await conn.fetchval("SELECT 1")
    finally:
        await conn.close()
