import asyncio as aio
from asyncio import create_task as spawn, ensure_future
import asyncio.tasks


async def job():
    await aio.sleep(0)


async def main():
    aio.create_task(job())
    spawn(job())
    ensure_future(job())
    asyncio.tasks.create_task(job())
