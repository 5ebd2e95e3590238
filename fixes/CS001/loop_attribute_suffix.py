"""A loop held by another package's object, under a name ending in `_loop`:
by the default `loop-attributes` convention (`*_loop`) it is an event loop."""

import logging

_LOGGER = logging.getLogger(__name__)


class Consumer:
    def __init__(self, worker):
        # The worker thread's loop, set up by a base class elsewhere.
        self.worker = worker

    async def on_assigned(self, partitions):
        _LOGGER.info("assigned %s", partitions)

    def on_assign(self, consumer, partitions):
        # A rebalance callback of the client library: a failure to set up
        # the partitions would be lost.
        self.worker.thread_loop.create_task(self.on_assigned(partitions))
