# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def fetch(i):
    return i


async def passed_to_call(sink):
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"passed_to_call: {len(errors)} of {len(results)} awaitables failed", errors
        )
    sink.extend(results)


async def unpacked():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"unpacked: {len(errors)} of {len(results)} awaitables failed", errors
        )
    first, second = results
    return first + second


async def iterated_directly():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"iterated_directly: {len(errors)} of {len(results)} awaitables failed", errors
        )
    for value in results:
        print(value + 1)


async def yielded():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"yielded: {len(errors)} of {len(results)} awaitables failed", errors
        )
    yield results


async def stored_on_attribute(self):
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"stored_on_attribute: {len(errors)} of {len(results)} awaitables failed", errors
        )
    self.values = results


async def bound_then_indexed():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"bound_then_indexed: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values[0] + values[1]


async def bound_then_iterated():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"bound_then_iterated: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return sum(v for v in values)


async def bound_never_read():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in results if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"bound_never_read: {len(errors)} of {len(results)} awaitables failed", errors
        )


async def checked_for_the_wrong_class():
    values = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    errors = [result for result in values if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"checked_for_the_wrong_class: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return [v for v in values if not isinstance(v, ValueError)]


async def wrapped_in_wait_for():
    values: list = await asyncio.wait_for(
        asyncio.gather(fetch(1), fetch(2), return_exceptions=True), timeout=5
    )
    errors = [result for result in values if isinstance(result, BaseException)]
    if errors:
        raise BaseExceptionGroup(
            f"wrapped_in_wait_for: {len(errors)} of {len(values)} awaitables failed", errors
        )
    return values
