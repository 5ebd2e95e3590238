# fix-args: --unsafe-fixes --target-version py311
import asyncio

results = []
errors = {}


async def fetch(i):
    return i


async def collect(result):
    await asyncio.gather(fetch(result), return_exceptions=True)
    return results_1


async def twice():
    await asyncio.gather(fetch(1), return_exceptions=True)
    await asyncio.gather(fetch(2), return_exceptions=True)
