# fix-args: --target-version py311
import asyncio

from .const import LOGGER


async def warm(cache):
    return cache


async def warm_all(caches):
    await asyncio.gather(*(warm(c) for c in caches), return_exceptions=True)
