# fix-args: --unsafe-fixes
# fix-pick: 2
import asyncio


def spawn(coro):
    task = asyncio.create_task(coro)
    task.set_name("background")
    return task


async def refresh(item):
    await asyncio.sleep(0)
    print(item)


async def handle(item):
    await spawn(refresh(item))
    return "ok"
