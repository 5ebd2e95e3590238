"""A module that logs through loguru: each failure is logged with loguru."""
import asyncio

from loguru import logger


async def broadcast(clients, message):
    results = await asyncio.gather(
        *(c.send(message) for c in clients), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            logger.opt(exception=outcome).error("Awaitable failed in broadcast")
    logger.info("sent")
