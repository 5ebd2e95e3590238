# fix-args: --target-version py311
"""A module with no logger of its own."""

import asyncio
import logging


async def notify(user):
    return user


async def notify_everyone(users):
    results = await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in notify_everyone", exc_info=outcome
            )
