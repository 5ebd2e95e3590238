"""`put` of a queue class of the project, which may fail: its task is still
reported."""

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


class Channel:
    def __init__(self, sink):
        self._sink = sink

    async def put(self, item):
        await self._sink.send(item)


class Buffer:
    def __init__(self, sink):
        self.channel = Channel(sink)

    def put_soon(self, item):
        _keep_background_task(asyncio.ensure_future(self.channel.put(item)))
