import asyncio
import logging

logger = logging.getLogger(__name__)


async def sync_all(stores):
    outcomes = await asyncio.gather(*(s.sync() for s in stores), return_exceptions=True)
    for store, outcome in zip(stores, outcomes):
        if isinstance(outcome, Exception):
            logger.error("sync of %s failed", store, exc_info=outcome)
