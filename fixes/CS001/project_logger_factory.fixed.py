"""A module whose logger comes from the project's own factory function."""
import asyncio
from typing import Any

from .logs import get_logger

log = get_logger(__name__)


_background_tasks: set[asyncio.Future[Any]] = set()


def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("Background task failed", exc_info=task.exception())


class Poller:
    def schedule(self):
        _keep_background_task(asyncio.ensure_future(self.poll()))

    async def poll(self):
        log.debug("polling")
