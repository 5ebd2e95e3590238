# fix-args: --unsafe-fixes --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def work(item):
    return item


async def schedule(items, loop):
    # A nested function reads the list later, as values.
    values = await asyncio.gather(*map(work, items), return_exceptions=True)

    def report():
        print(sum(values))

    loop.call_soon(report)


async def debug_only(items):
    # A debug log of the whole list is no check: failures stay silent.
    values = await asyncio.gather(*map(work, items), return_exceptions=True)
    _LOGGER.debug("work done: %s", values)
