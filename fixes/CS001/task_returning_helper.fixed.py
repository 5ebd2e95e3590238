"""A module helper that creates a task, logs its failure and returns it."""

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


def _log_failure(task):
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("failed", exc_info=task.exception())


def spawn(coro, *, name=None):
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(_log_failure)
    return task


def start(coro):
    return asyncio.ensure_future(coro)


async def refresh(item):
    await asyncio.sleep(0)
    print(item)


class Poller:
    def _start(self, coro):
        return asyncio.get_running_loop().create_task(coro)

    async def on_event(self, event):
        _keep_background_task(self._start(refresh(event)))


async def handle(item):
    _keep_background_task(spawn(refresh(item), name="refresh"))
    return "ok"


async def handle_later(item):
    pending = _keep_background_task(start(refresh(item)))
    print("scheduled")
