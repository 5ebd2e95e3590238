# fix-args: --unsafe-fixes
"""The article's example with CRLF line endings: the deleted dict takes its whole line ending."""
import asyncio


async def fetch_user(db, uid):
    user = await db.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    return uid, user


async def fetch_batch(db, uids: list):
    results = dict(await asyncio.gather(*[fetch_user(db, uid) for uid in uids]))
    return results
