import asyncio as aio
from asyncio import create_task as spawn, ensure_future
import asyncio.tasks


async def job():
    pass


async def main():
    aio.create_task(job())
    spawn(job())
    ensure_future(job())
    asyncio.tasks.create_task(job())
