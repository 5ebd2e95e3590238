import asyncio


async def poll(interval):
    await asyncio.sleep(interval)
    value = (await asyncio.sleep(0)) or 1
    return value
