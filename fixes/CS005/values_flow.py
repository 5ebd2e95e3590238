# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def price(item):
    return item


async def total(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    return sum(prices)


async def cheapest(items):
    return await asyncio.gather(*(price(i) for i in items), return_exceptions=True)


async def labels(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    return [p.label for p in prices]


async def first_price(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    best = prices[0]
    return best * 2


def render(rows):
    return "\n".join(str(row["name"]) for row in rows)


async def report(items):
    rows = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    # The helper uses the rows as data: the failure would surface there.
    return render(rows)
