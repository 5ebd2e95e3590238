# fix-args: --target-version py311
import asyncio

from .const import LOGGER


async def warm(cache):
    return cache


async def warm_all(caches):
    results = await asyncio.gather(*(warm(c) for c in caches), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            LOGGER.error("Awaitable failed in warm_all", exc_info=outcome)
