# fix-args: --unsafe-fixes --target-version py39
import asyncio
import logging


async def fetch(i):
    return i


async def passed_to_call(sink):
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    sink.extend(results)


async def unpacked():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    first, second = results
    return first + second


async def iterated_directly():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    for value in results:
        print(value + 1)


async def yielded():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    yield results


async def stored_on_attribute(self):
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    self.values = results


async def bound_then_indexed():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in values:
        if isinstance(result, BaseException):
            raise result
    return values[0] + values[1]


async def bound_then_iterated():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in values:
        if isinstance(result, BaseException):
            raise result
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
    for result in values:
        if isinstance(result, BaseException):
            raise result
    return values
