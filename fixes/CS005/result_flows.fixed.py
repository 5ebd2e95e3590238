# fix-args: --unsafe-fixes --target-version py311
import asyncio
import logging


async def fetch(i):
    return i


async def passed_to_call(sink):
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"passed_to_call: {len(errors)} of {len(results)} awaitables failed", errors
        )
    sink.extend(results)


async def unpacked():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"unpacked: {len(errors)} of {len(results)} awaitables failed", errors
        )
    first, second = results
    return first + second


async def iterated_directly():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"iterated_directly: {len(errors)} of {len(results)} awaitables failed", errors
        )
    for value in results:
        print(value + 1)


async def yielded():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"yielded: {len(errors)} of {len(results)} awaitables failed", errors
        )
    yield results


async def stored_on_attribute(self):
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"stored_on_attribute: {len(errors)} of {len(results)} awaitables failed", errors
        )
    self.values = results


async def bound_then_indexed():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"bound_then_indexed: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values[0] + values[1]


async def bound_then_iterated():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"bound_then_iterated: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return sum(v for v in values)


async def bound_never_read():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in bound_never_read", exc_info=outcome
            )


async def checked_for_the_wrong_class():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for outcome in values:
        if isinstance(outcome, ValueError):
            continue
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in checked_for_the_wrong_class", exc_info=outcome
            )
    return [v for v in values if not isinstance(v, ValueError)]


async def wrapped_in_wait_for():
    values: list = await asyncio.wait_for(
        asyncio.gather(fetch(1), fetch(2), return_exceptions=True), timeout=5
    )
    errors = [result for result in values if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"wrapped_in_wait_for: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values
