# fix-args: --unsafe-fixes --target-version py311
import asyncio as aio
from asyncio import gather as collect


async def fetch(i):
    return i


async def aliased_module():
    results = await aio.gather(fetch(1), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, aio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"aliased_module: {len(errors)} of {len(results)} awaitables failed", errors
        )
    return results


async def aliased_function():
    values = await collect(fetch(1), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, aio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"aliased_function: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values


async def future_awaited_later():
    pending = aio.gather(fetch(1), fetch(2), return_exceptions=True)
    print("started")
    values = await pending
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, aio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"future_awaited_later: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values


def sync_entry_point():
    loop = aio.new_event_loop()
    values = loop.run_until_complete(aio.gather(fetch(1), return_exceptions=True))
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, aio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"sync_entry_point: {len(errors)} of {len(values)} awaitables failed", errors
        )
    loop.close()
    return values
