import asyncio
import logging as _logging
from typing import Any

logging = "not the logging module"
_background_tasks = []


_background_tasks_1: set[asyncio.Future[Any]] = set()


def _keep_background_task_1(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks_1.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks_1.discard(task)
    if not task.cancelled() and task.exception() is not None:
        _logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


def _keep_background_task():
    pass


async def main():
    _keep_background_task_1(asyncio.create_task(asyncio.sleep(1)))
