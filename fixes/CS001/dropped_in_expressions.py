import asyncio


async def work(n):
    await asyncio.sleep(n)


async def main(items, urgent):
    # Each task is built, then thrown away with the expression holding it.
    [asyncio.create_task(work(1)), asyncio.create_task(work(2))]
    (asyncio.create_task(work(3)),)
    [asyncio.create_task(work(n)) for n in items]
    asyncio.create_task(work(4)) if urgent else None
    # A task used only as a condition is dropped too.
    print("queued" if asyncio.create_task(work(5)) else "not queued")
