# fix-args: --unsafe-fixes --target-version py311
import asyncio

counter = 0
counter_lock = asyncio.Lock()


async def locked_bump(n):
    global counter
    async with counter_lock:
        counter += n
    return n


async def bump_twice(n):
    global counter
    # Wrapping this would take `counter_lock` around a call that takes it
    # again: asyncio.Lock is not re-entrant.
    counter += await locked_bump(n)


async def via_helper(n):
    return await locked_bump(n)


async def bump_through(n):
    global counter
    # The lock would be taken again two calls down.
    counter += await via_helper(n)


async def main():
    await asyncio.gather(bump_twice(1), bump_twice(2), bump_through(3))
