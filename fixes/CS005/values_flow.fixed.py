# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def price(item):
    return item


async def total(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    errors = [result for result in prices if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"total: {len(errors)} of {len(prices)} awaitables failed", errors
        )
    return sum(prices)


async def cheapest(items):
    results = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"cheapest: {len(errors)} of {len(results)} awaitables failed", errors
        )
    return results


async def labels(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    errors = [result for result in prices if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"labels: {len(errors)} of {len(prices)} awaitables failed", errors
        )
    return [p.label for p in prices]


async def first_price(items):
    prices = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    errors = [result for result in prices if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"first_price: {len(errors)} of {len(prices)} awaitables failed", errors
        )
    best = prices[0]
    return best * 2


def render(rows):
    return "\n".join(str(row["name"]) for row in rows)


async def report(items):
    rows = await asyncio.gather(*(price(i) for i in items), return_exceptions=True)
    errors = [result for result in rows if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"report: {len(errors)} of {len(rows)} awaitables failed", errors
        )
    # The helper uses the rows as data: the failure would surface there.
    return render(rows)
