# fix-args: --unsafe-fixes --target-version py39
import asyncio


async def fetch(i):
    return i


async def outer(ids):
    async def inner(chunk):
        return await asyncio.gather(*[fetch(i) for i in chunk], return_exceptions=True)

    def not_async():
        return [i for i in ids]

    results = await asyncio.gather(inner(ids[:2]), inner(ids[2:]), return_exceptions=True)
    return results, not_async()
