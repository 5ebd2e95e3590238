import asyncio as aio
import logging
from asyncio import create_task as spawn, ensure_future
import asyncio.tasks
from typing import Any

_background_tasks: set[aio.Future[Any]] = set()


def _keep_background_task(task: aio.Future[Any]) -> aio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: aio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


async def job():
    await aio.sleep(0)


async def main():
    _keep_background_task(aio.create_task(job()))
    _keep_background_task(spawn(job()))
    _keep_background_task(ensure_future(job()))
    _keep_background_task(asyncio.tasks.create_task(job()))
