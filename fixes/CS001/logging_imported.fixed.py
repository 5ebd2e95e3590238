import asyncio
import logging as log

_background_tasks: set[asyncio.Task[object]] = set()


def _background_task_done(task: asyncio.Task[object]) -> None:
    """Forget a finished background task; log its exception if it failed."""
    _background_tasks.discard(task)
    if task.cancelled():
        return
    exception = task.exception()
    if exception is not None:
        logger.error("Background task %r failed", task, exc_info=exception)


def _keep_background_task(task: asyncio.Task[object]) -> asyncio.Task[object]:
    """Keep a strong reference to a background task until it is done."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


logger = log.getLogger(__name__)


async def main():
    _keep_background_task(asyncio.ensure_future(asyncio.sleep(1)))
