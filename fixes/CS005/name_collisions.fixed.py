# fix-args: --unsafe-fixes --target-version py311
import asyncio
import logging

results = []
errors = {}


async def fetch(i):
    return i


async def collect(result):
    results_2 = await asyncio.gather(fetch(result), return_exceptions=True)
    for outcome in results_2:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in collect", exc_info=outcome
            )
    return results_1


async def twice():
    results_1 = await asyncio.gather(fetch(1), return_exceptions=True)
    for outcome in results_1:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in twice", exc_info=outcome
            )
    results_2 = await asyncio.gather(fetch(2), return_exceptions=True)
    for outcome_1 in results_2:
        if isinstance(outcome_1, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in twice", exc_info=outcome_1
            )
