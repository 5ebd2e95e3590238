"""The project keeps its background tasks with its own helper."""

import asyncio

from shop.tasks import spawn


async def refresh(key):
    await asyncio.sleep(1)


async def handle(key):
    spawn(asyncio.create_task(refresh(key)))
    return key
