# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def fetch(i):
    return i


async def in_comprehension(groups):
    return [await asyncio.gather(*group, return_exceptions=True) for group in groups]


async def after_short_circuit(enabled):
    return enabled and await asyncio.gather(fetch(1), return_exceptions=True)


async def shares_its_line(flag):
    if flag: await asyncio.gather(fetch(1), return_exceptions=True)


async def shadowed_builtin():
    isinstance = None
    values = await asyncio.gather(fetch(1), return_exceptions=True)
    return values, isinstance
