# fix-args: --unsafe-fixes
import asyncio

results = {}
cache = {}
log = []


async def fetch_user(db, uid):
    results[uid] = await db.fetch(uid)


async def fetch_batch(db, uids):
    await asyncio.gather(*[fetch_user(db, uid) for uid in uids])
    return results


async def refresh(db):
    # Another caller that relies on the shared dict: no return-and-merge.
    await fetch_user(db, 0)


async def lookup(db, key):
    value = await db.fetch(key)
    cache[key] = value
    return value


async def lookup_many(db, keys):
    # `lookup` already returns something.
    await asyncio.gather(*[lookup(db, k) for k in keys])
    return cache


async def record(event):
    await asyncio.sleep(0)
    log.append(event)
    print("recorded")


async def record_all(events):
    # The append is not the coroutine's last statement.
    await asyncio.gather(*[record(e) for e in events])
    return log
