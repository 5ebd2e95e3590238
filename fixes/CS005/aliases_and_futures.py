# fix-args: --unsafe-fixes --target-version py311
import asyncio as aio
from asyncio import gather as collect


async def fetch(i):
    return i


async def aliased_module():
    return await aio.gather(fetch(1), return_exceptions=True)


async def aliased_function():
    values = await collect(fetch(1), return_exceptions=True)
    return values


async def future_awaited_later():
    pending = aio.gather(fetch(1), fetch(2), return_exceptions=True)
    print("started")
    values = await pending
    return values


def sync_entry_point():
    loop = aio.new_event_loop()
    values = loop.run_until_complete(aio.gather(fetch(1), return_exceptions=True))
    loop.close()
    return values
