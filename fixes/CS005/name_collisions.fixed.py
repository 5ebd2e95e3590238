# fix-args: --unsafe-fixes --target-version py311
import asyncio

results = []
errors = {}


async def fetch(i):
    return i


async def collect(result):
    results_2 = await asyncio.gather(fetch(result), return_exceptions=True)
    errors_1 = [result_1 for result_1 in results_2 if isinstance(result_1, BaseException)]
    if errors_1:
        raise BaseExceptionGroup(
            f"collect: {len(errors_1)} of {len(results_2)} awaitables failed", errors_1
        )
    return results_1


async def twice():
    results_1 = await asyncio.gather(fetch(1), return_exceptions=True)
    errors_1 = [result for result in results_1 if isinstance(result, BaseException)]
    if errors_1:
        raise BaseExceptionGroup(
            f"twice: {len(errors_1)} of {len(results_1)} awaitables failed", errors_1
        )
    results_2 = await asyncio.gather(fetch(2), return_exceptions=True)
    errors_2 = [result_1 for result_1 in results_2 if isinstance(result_1, BaseException)]
    if errors_2:
        raise BaseExceptionGroup(
            f"twice: {len(errors_2)} of {len(results_2)} awaitables failed", errors_2
        )
