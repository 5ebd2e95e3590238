# fix-args: --unsafe-fixes --target-version py312
import asyncio
from asyncio import gather, sleep

totals = {}
totals_lock_1 = asyncio.Lock()
totals_lock = "not a lock"


async def add(key, n):
    async with totals_lock_1:
        current = totals.get(key, 0)
        await sleep(0.1)
        totals[key] = current + n


async def sub(key, n):
    async with totals_lock_1:
        totals[key] = totals.get(key, 0) - await sleep(0.1, result=n)


async def main():
    await gather(add("a", 1), sub("a", 1))
