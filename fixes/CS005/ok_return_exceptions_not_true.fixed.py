import asyncio


async def fetch(i):
    return i


async def absent():
    return await asyncio.gather(fetch(1), fetch(2))


async def false():
    return await asyncio.gather(fetch(1), fetch(2), return_exceptions=False)


async def not_a_literal(tolerant):
    return await asyncio.gather(fetch(1), fetch(2), return_exceptions=tolerant)


async def from_kwargs(**options):
    return await asyncio.gather(fetch(1), fetch(2), **options)
