import asyncio

from mylib import gather as lib_gather


async def fetch(i):
    return i


async def gather(*aws, return_exceptions=False):
    return list(aws)


async def local_function():
    return await gather(fetch(1), return_exceptions=True)


async def other_library():
    return await lib_gather(fetch(1), return_exceptions=True)


async def shadowed_module(asyncio):
    return await asyncio.gather(fetch(1), return_exceptions=True)
