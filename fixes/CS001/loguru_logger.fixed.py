"""A module that logs through loguru: the failure goes to loguru, where the
project's sinks are, not to a stdlib logger nobody configured."""
import asyncio
from typing import Any

from loguru import logger

_background_tasks: set[Any] = set()


def _keep_background_task(task: Any) -> Any:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: Any) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.opt(exception=task.exception()).error("Background task failed")


async def push(queue, frame):
    logger.debug(f"pushing {frame}")
    await queue.put(frame)


def on_frame(loop, queue, frame):
    _keep_background_task(asyncio.run_coroutine_threadsafe(push(queue, frame), loop))


async def start(queue, frame):
    _keep_background_task(asyncio.create_task(push(queue, frame)))
