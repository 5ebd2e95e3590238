# fix-args: --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def rebalance(workers, fresh):
    # Only some of the gathered tasks were cancelled: the others' failures
    # are lost.
    pending = []
    for worker in workers:
        worker.cancel()
        pending.append(worker)
    for task in fresh:
        pending.append(task)
    results = await asyncio.gather(*pending, return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in rebalance", exc_info=outcome)
