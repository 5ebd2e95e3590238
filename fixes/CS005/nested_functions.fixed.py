# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def fetch(i):
    return i


async def outer(ids):
    async def inner(chunk):
        results_1 = await asyncio.gather(
            *[fetch(i) for i in chunk], return_exceptions=True
        )
        errors_1 = [result_1 for result_1 in results_1 if isinstance(result_1, BaseException)]
        for error_1 in errors_1:
            if isinstance(error_1, asyncio.CancelledError):
                raise error_1
        if errors_1:
            raise BaseExceptionGroup(
                f"inner: {len(errors_1)} of {len(results_1)} awaitables failed", errors_1
            )
        return results_1

    def not_async():
        return [i for i in ids]

    results = await asyncio.gather(inner(ids[:2]), inner(ids[2:]), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"outer: {len(errors)} of {len(results)} awaitables failed", errors
        )
    return results, not_async()
