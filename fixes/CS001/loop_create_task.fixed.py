import asyncio
import logging
from asyncio import get_running_loop as running
from typing import Any

background_loop = asyncio.new_event_loop()


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


async def job():
    await asyncio.sleep(0)


async def with_running_loop():
    loop = asyncio.get_running_loop()
    _keep_background_task(loop.create_task(job()))
    _keep_background_task(running().create_task(job()))


def on_message():
    """A plain callback that schedules work on the current loop."""
    _keep_background_task(asyncio.get_event_loop().create_task(job()))


def on_tick():
    _keep_background_task(background_loop.create_task(job()))
