# The first function follows the imports directly: the helper takes its
# place and is separated from the imports as isort wants an assignment.

import asyncio
import logging
import weakref
from typing import Any

from . import errors

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


async def open_cursor(connection):
    if connection is None:
        raise errors.NotConnected()
    cursor = await connection.cursor()

    def on_collect(ref):
        _keep_background_task(asyncio.ensure_future(cursor.close()))

    connection.guard = weakref.ref(cursor, on_collect)
    return cursor
