"""With `honour-peer-noqa = false`, Ruff's `ruff: ignore` does not suppress
our findings either."""

import asyncio
import logging
from typing import Any

_background_tasks: set[asyncio.Future[Any]] = set()


def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


async def notify(event):
    _keep_background_task(asyncio.create_task(send(event)))  # ruff: ignore[asyncio-dangling-task]


async def send(event):
    await asyncio.sleep(0)
