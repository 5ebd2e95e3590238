# fix-args: --unsafe-fixes --target-version py311
import asyncio

counter = 0
stats = {}


async def either(n):
    global counter
    if n:
        v = counter
    else:
        v = 0
    await asyncio.sleep(0)
    counter = v + n


async def guarded(n):
    global counter
    try:
        v = counter
        await asyncio.sleep(0)
    except Exception:
        counter = v + 1


async def one_line(k):
    # Flagged, but not on lines of its own: no fix.
    if k: stats[k] = stats.get(k, 0) + await asyncio.sleep(0, result=1)
    v = stats.get(k); await asyncio.sleep(0); stats[k] = v


async def outer(keys):
    async def inner(k):
        stats[k] = stats.get(k, 0) + await asyncio.sleep(0, result=1)

    await asyncio.gather(*map(inner, keys))


async def main():
    await asyncio.gather(either(1), guarded(2), one_line(3))
