import asyncio as aio
from asyncio import create_task as spawn, ensure_future
import asyncio.tasks
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


async def job():
    await aio.sleep(0)


async def main():
    _keep_background_task(aio.create_task(job()))
    _keep_background_task(spawn(job()))
    _keep_background_task(ensure_future(job()))
    _keep_background_task(asyncio.tasks.create_task(job()))
