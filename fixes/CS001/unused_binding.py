import asyncio


async def job(n):
    await asyncio.sleep(0)
    return n


async def main():
    _ = asyncio.create_task(job(1))
    task = asyncio.create_task(job(2))
    annotated: asyncio.Task = asyncio.create_task(job(3))
    replaced = asyncio.create_task(job(4))
    replaced = asyncio.create_task(job(5))
    await replaced
