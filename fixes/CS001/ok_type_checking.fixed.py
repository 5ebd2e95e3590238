from typing import TYPE_CHECKING
import asyncio

if TYPE_CHECKING:
    asyncio.create_task(asyncio.sleep(1))


async def handler(fut):
    lambda: asyncio.create_task(asyncio.sleep(1))
    return fut
