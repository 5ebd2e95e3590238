# fix-args: --unsafe-fixes --target-version py311
import asyncio
from asyncio import Lock as AsyncLock

counter = 0
totals = {}
lock = AsyncLock()
one_slot = asyncio.Semaphore(1)
bounded = asyncio.BoundedSemaphore()


async def bump(n):
    global counter
    async with lock:
        counter += await asyncio.sleep(0, result=n)


async def add(key, n):
    async with one_slot:
        totals[key] = totals.get(key, 0) + await asyncio.sleep(0, result=n)


async def take(key):
    async with bounded:
        current = totals.pop(key, 0)
        await asyncio.sleep(0)
        totals[key] = current


async def main():
    await asyncio.gather(bump(1), add("a", 1), take("a"))
