"""The article's recommended code for bug #04 (and #03): correct, not flagged."""
from contextlib import asynccontextmanager

import aiohttp
import asyncpg

DATABASE_URL = "postgresql://localhost/app"

# Create session once, reuse it
_client_session: aiohttp.ClientSession | None = None


async def get_session():
    global _client_session
    if _client_session is None:
        _client_session = aiohttp.ClientSession()
    return _client_session


async def fetch_data(url: str):
    session = await get_session()
    async with session.get(url) as resp:
        return await resp.json()


@asynccontextmanager
async def get_db():
    conn = await asyncpg.connect(DATABASE_URL)
    try:
        yield conn
    finally:
        await conn.close()
        # Always closes, even on exception


async def handler(uid):
    async with get_db() as conn:
        return await conn.fetchrow('SELECT * FROM users WHERE id = $1', uid)


async def get_user(user_id: int):
    conn = await asyncpg.connect(DATABASE_URL)
    try:
        return await conn.fetchrow(
            'SELECT * FROM users WHERE id = $1', user_id
        )
    finally:
        await conn.close()
