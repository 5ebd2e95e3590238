"""A loop held by another package's object, under a name ending in `_loop`:
by the default `loop-attributes` convention (`*_loop`) it is an event loop."""

import asyncio
import logging
from typing import Any

_LOGGER = logging.getLogger(__name__)


_background_tasks: set[asyncio.Future[Any]] = set()


def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Background task failed", exc_info=task.exception())


class Consumer:
    def __init__(self, worker):
        # The worker thread's loop, set up by a base class elsewhere.
        self.worker = worker

    async def on_assigned(self, partitions):
        _LOGGER.info("assigned %s", partitions)

    def on_assign(self, consumer, partitions):
        # A rebalance callback of the client library: a failure to set up
        # the partitions would be lost.
        _keep_background_task(
            self.worker.thread_loop.create_task(self.on_assigned(partitions))
        )
