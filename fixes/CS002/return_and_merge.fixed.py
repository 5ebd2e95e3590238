# fix-args: --unsafe-fixes
"""The article's example: a batch function returns a module-level dict."""
import asyncio


async def fetch_user(db, uid):
    user = await db.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    return uid, user


async def fetch_batch(db, uids: list):
    results = dict(await asyncio.gather(*[fetch_user(db, uid) for uid in uids]))
    return results
