# fix-args: --target-version py311
"""The logger is made by a library's factory: failures are logged with it."""

import asyncio

import structlog

logger = structlog.get_logger()


async def refresh(feed):
    return feed


async def refresh_all(feeds):
    await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
