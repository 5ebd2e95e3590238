"""A module whose only import is inside the function."""

import asyncio


async def handler():
    await asyncio.sleep(1)
