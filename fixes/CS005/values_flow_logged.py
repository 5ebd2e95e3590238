# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import asyncio
import logging

log = logging.getLogger("shop")


async def price(item):
    return item


async def total(items):
    # The alternative to raising (interactive mode): log and carry on.
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    return sum(prices)
