# fix-args: --target-version py311
"""The logger is made by a library's factory: failures are logged with it."""

import asyncio

import structlog

logger = structlog.get_logger()


async def refresh(feed):
    return feed


async def refresh_all(feeds):
    results = await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            logger.error("Awaitable failed in refresh_all", exc_info=outcome)
