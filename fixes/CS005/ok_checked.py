import asyncio
import logging


async def fetch(i):
    return i


async def loop_reraises():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


async def comprehension_with_tuple(urls):
    results = await asyncio.gather(*[fetch(u) for u in urls], return_exceptions=True)
    errors = [r for r in results if isinstance(r, (OSError, BaseException))]
    if errors:
        raise BaseExceptionGroup("fetch failed", errors)
    return results


async def any_check():
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    if any(isinstance(r, BaseException) for r in results):
        raise RuntimeError("a fetch failed")
    return results


async def all_check():
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    assert all(not isinstance(r, Exception) for r in results)
    return results


async def zipped_and_logged(urls):
    results = await asyncio.gather(*[fetch(u) for u in urls], return_exceptions=True)
    for url, outcome in zip(urls, results):
        if isinstance(outcome, Exception):
            logging.error("fetching %s failed: %r", url, outcome)
    return results


async def enumerated():
    results = await asyncio.gather(fetch(1), fetch(2), return_exceptions=True)
    for pair in enumerate(results):
        if isinstance(pair[1], Exception):
            return None
    return results


async def filtered_with_lambda():
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    return list(filter(lambda r: not isinstance(r, Exception), results))


async def indexed():
    values = await asyncio.gather(fetch(1), return_exceptions=True)
    if isinstance(values[0], Exception):
        raise values[0]
    return values


async def filtered_in_place():
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    results = [r for r in results if not isinstance(r, Exception)]
    return results


async def iterated_directly():
    for outcome in await asyncio.gather(fetch(1), return_exceptions=True):
        if isinstance(outcome, Exception):
            raise outcome


async def reraised_as_cause():
    results = await asyncio.gather(fetch(1), return_exceptions=True)
    for outcome in results:
        if outcome is None:
            raise RuntimeError("fetch failed") from outcome
    return results
