"""The project keeps its background tasks with its own helper."""

import asyncio


async def refresh(key):
    await asyncio.sleep(1)


async def handle(key):
    asyncio.create_task(refresh(key))
    return key
