# fix-args: --unsafe-fixes --target-version py311
# `asyncio` here is not the module: the lock's module is imported under an
# alias rather than shadowing (or being shadowed by) the name.
import asyncio as asyncio_1
from asyncio import gather

from compat import asyncio

totals = {}
totals_lock = asyncio_1.Lock()


async def weigh(n):
    await asyncio.sleep(0)
    return n


async def add(key, n):
    async with totals_lock:
        current = totals.get(key, 0)
        await weigh(n)
        totals[key] = current + n


async def main():
    await gather(add("a", 1), add("a", 2))
