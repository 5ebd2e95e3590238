# fix-args: --unsafe-fixes
# fix-pick: 2
import asyncio


async def refresh(key):
    await asyncio.sleep(0)


async def handle(key):
    asyncio.create_task(refresh(key))
    return key


async def named(key):
    print("start")
    _ = asyncio.create_task(refresh(key), name="refresh")
    print("done")


async def future(fut):
    asyncio.ensure_future(fut)


async def lookup(cache, key):
    asyncio.create_task(cache[key])
    asyncio.get_running_loop().create_task(
        refresh(key)
    )
    if key: asyncio.create_task(refresh(key))


def sync_callback(key):
    asyncio.get_event_loop().create_task(refresh(key))
