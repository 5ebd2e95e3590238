# fix-args: --unsafe-fixes --target-version py311
import asyncio

results = {}


async def fetch_user(db, uid, results=None):
    # A parameter that shadows the module-level name.
    results[uid] = await db.fetch(uid)


async def fetch_batch(db, uids):
    results = {}
    items = []
    for uid in uids:
        value = await db.fetch(uid)
        results[uid] = value
        items.append(value)
    count = 0
    count += await db.count()
    return results, items, count


async def main(db):
    await asyncio.gather(fetch_batch(db, [1]), fetch_user(db, 2, {}))
