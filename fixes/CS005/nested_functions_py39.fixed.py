# fix-args: --unsafe-fixes --target-version py39
import asyncio


async def fetch(i):
    return i


async def outer(ids):
    async def inner(chunk):
        results_1 = await asyncio.gather(
            *[fetch(i) for i in chunk], return_exceptions=True
        )
        for result_1 in results_1:
            if isinstance(result_1, BaseException):
                raise result_1
        return results_1

    def not_async():
        return [i for i in ids]

    results = await asyncio.gather(inner(ids[:2]), inner(ids[2:]), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results, not_async()
