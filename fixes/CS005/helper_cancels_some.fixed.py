# fix-args: --target-version py311
"""A helper that returns tasks it did not all cancel: the failures of the
others are lost."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


def _losers_and_fresh(winners, tasks_by_host, fresh):
    to_clean = []
    for host in winners:
        for task in tasks_by_host.pop(host, ()):
            task.cancel()
            to_clean.append(task)
    to_clean.extend(fresh)
    return to_clean


def _pending(tasks):
    return [task for task in tasks if not task.done()]


async def resolve(tasks_by_host, winners, fresh):
    to_clean = _losers_and_fresh(winners, tasks_by_host, fresh)
    results = await asyncio.gather(*to_clean, return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in resolve", exc_info=outcome)


async def drain(tasks):
    pending = _pending(tasks)
    results = await asyncio.gather(*pending, return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in drain", exc_info=outcome)
