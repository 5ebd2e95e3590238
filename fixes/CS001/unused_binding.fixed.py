import asyncio
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


async def job(n):
    await asyncio.sleep(0)
    return n


async def main():
    _ = _keep_background_task(asyncio.create_task(job(1)))
    task = _keep_background_task(asyncio.create_task(job(2)))
    annotated: asyncio.Task = _keep_background_task(asyncio.create_task(job(3)))
    replaced = _keep_background_task(asyncio.create_task(job(4)))
    replaced = asyncio.create_task(job(5))
    await replaced
