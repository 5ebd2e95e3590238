# fix-args: --unsafe-fixes --target-version py311
import asyncio

counter = 0
counter_lock = asyncio.Lock()
totals = {}
totals_lock = asyncio.Lock()
limit = asyncio.Semaphore(10)


async def weigh(n):
    await asyncio.sleep(0)
    return n


async def bump(n):
    global counter
    async with counter_lock:
        counter += await weigh(n)


async def add(key, n):
    async with totals_lock:
        totals[key] = totals.get(key, 0) + await weigh(n)


async def slow(n):
    global counter
    async with counter_lock:
        value = counter
        await asyncio.sleep(0)
        if n:
            print("""adding
to the counter""")
            counter = value + n


async def throttled(key):
    # A semaphore with ten slots excludes nothing.
    async with limit:
        async with totals_lock:
            current = totals[key]
            async for step in ticks():
                current += step
            totals[key] = current


async def ticks():
    yield 1


async def fresh(key):
    # Read after the await, written at once: atomic, not reported.
    await asyncio.sleep(0)
    totals[key] = totals.get(key, 0) + 1


async def main():
    await asyncio.gather(bump(1), add("a", 2), slow(3), throttled("a"), fresh("b"))
