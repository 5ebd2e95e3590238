import asyncio
from asyncio import get_running_loop as running
import logging

_background_tasks = set()


def _background_task_done(task):
    """Forget a finished background task; log its exception if it failed."""
    _background_tasks.discard(task)
    if task.cancelled():
        return
    exception = task.exception()
    if exception is not None:
        logging.getLogger(__name__).error(
            "Background task %r failed", task, exc_info=exception
        )


def _keep_background_task(task):
    """Keep a strong reference to a background task until it is done."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


background_loop = asyncio.new_event_loop()


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
