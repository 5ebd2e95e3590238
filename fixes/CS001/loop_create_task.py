import asyncio
from asyncio import get_running_loop as running

background_loop = asyncio.new_event_loop()


async def job():
    await asyncio.sleep(0)


async def with_running_loop():
    loop = asyncio.get_running_loop()
    loop.create_task(job())
    running().create_task(job())


def on_message():
    """A plain callback that schedules work on the current loop."""
    asyncio.get_event_loop().create_task(job())


def on_tick():
    background_loop.create_task(job())
