import asyncpg

DSN = "postgresql://localhost/app"


async def get_user(uid):
    conn = await asyncpg.connect(DSN)
    try:
        user = await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)
        return user
    finally:
        await conn.close()


async def count_users():
    conn = await asyncpg.connect(DSN)
    try:
        return await conn.fetchval("SELECT count(*) FROM users")
    finally:
        await conn.close()
