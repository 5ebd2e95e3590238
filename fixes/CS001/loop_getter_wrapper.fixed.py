"""The loop comes from the project's own wrapper of `asyncio.get_running_loop`,
defined in another module: named like asyncio's getter, it returns a loop."""

import asyncio
import logging
from typing import Any

from . import helpers
from .utils import get_event_loop

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


class Sender:
    def __init__(self, callback):
        self._callback = callback

    def _reconnected(self):
        if self._callback:
            _keep_background_task(
                helpers.get_running_loop().create_task(self._callback())
            )

    def _resend(self, request):
        loop = get_event_loop()
        _keep_background_task(loop.create_task(self._send(request)))

    async def _send(self, request):
        _LOGGER.debug("sending %s", request)
        await request.wait()
