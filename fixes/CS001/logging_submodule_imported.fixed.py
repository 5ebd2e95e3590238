"""`import logging.config` binds `logging`: the fix logs through it."""
import asyncio
import logging.config
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


def configure(settings):
    logging.config.dictConfig(settings)


async def serve(handler):
    loop = asyncio.get_running_loop()
    _keep_background_task(loop.create_task(handler()))
