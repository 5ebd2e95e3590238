# fix-args: --unsafe-fixes
"""Return and merge keeps the coroutines annotated: `-> None` becomes the
type of the entry they now return."""
import asyncio

prices: dict[str, float] = {}
TIMEOUT = 5
errors = []


async def price(symbol: str) -> None:
    quote = await asyncio.sleep(0.01, result=1.5)
    prices[symbol] = quote


async def prices_of(symbols):
    await asyncio.gather(*[price(s) for s in symbols])
    return prices


async def probe(host: str) -> None:
    await asyncio.sleep(0.01)
    errors.append(host)


async def failures(hosts):
    await asyncio.gather(*[probe(h) for h in hosts])
    return list(errors)
