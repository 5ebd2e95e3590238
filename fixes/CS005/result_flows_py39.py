# fix-args: --unsafe-fixes --target-version py39
import asyncio


async def fetch(i):
    return i


async def passed_to_call(sink):
    sink.extend(await asyncio.gather(fetch(1), fetch(2), return_exceptions=True))


async def unpacked():
    first, second = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    return first + second


async def iterated_directly():
    for value in await asyncio.gather(fetch(1), fetch(2), return_exceptions=True):
        print(value + 1)


async def yielded():
    yield await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)


async def stored_on_attribute(self):
    self.values = await asyncio.gather(fetch(1), return_exceptions=True)


async def bound_then_indexed():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    return values[0] + values[1]


async def bound_then_iterated():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    return sum(v for v in values)


async def bound_never_read():
    _ = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)


async def checked_for_the_wrong_class():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    return [v for v in values if not isinstance(v, ValueError)]


async def wrapped_in_wait_for():
    values: list = await asyncio.wait_for(
        asyncio.gather(fetch(1), fetch(2), return_exceptions=True), timeout=5
    )
    return values
