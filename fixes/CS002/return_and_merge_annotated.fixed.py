# fix-args: --unsafe-fixes
"""Return and merge keeps the coroutines annotated: `-> None` becomes the
type of the entry they now return."""
import asyncio

TIMEOUT = 5


async def price(symbol: str) -> tuple[str, float]:
    quote = await asyncio.sleep(0.01, result=1.5)
    return symbol, quote


async def prices_of(symbols):
    prices = dict(await asyncio.gather(*[price(s) for s in symbols]))
    return prices


async def probe(host: str) -> str:
    await asyncio.sleep(0.01)
    return host


async def failures(hosts):
    errors = await asyncio.gather(*[probe(h) for h in hosts])
    return list(errors)
