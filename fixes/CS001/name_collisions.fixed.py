import asyncio
import logging as _logging

_background_tasks_1: set[asyncio.Task[object]] = set()


def _background_task_done(task: asyncio.Task[object]) -> None:
    """Forget a finished background task; log its exception if it failed."""
    _background_tasks_1.discard(task)
    if task.cancelled():
        return
    exception = task.exception()
    if exception is not None:
        _logging.getLogger(__name__).error(
            "Background task %r failed", task, exc_info=exception
        )


def _keep_background_task_1(task: asyncio.Task[object]) -> asyncio.Task[object]:
    """Keep a strong reference to a background task until it is done."""
    _background_tasks_1.add(task)
    task.add_done_callback(_background_task_done)
    return task


logging = "not the logging module"
_background_tasks = []


def _keep_background_task():
    pass


async def main():
    _keep_background_task_1(asyncio.create_task(asyncio.sleep(1)))
