import asyncpg

DSN = "postgresql://localhost/app"


async def get_user(uid):
    conn = await asyncpg.connect(DSN)
    user = await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    await conn.close()
    return user


async def count_users():
    conn = await asyncpg.connect(DSN)
    return await conn.fetchval("SELECT count(*) FROM users")
