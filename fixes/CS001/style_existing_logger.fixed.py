# fix-args: --target-version py311
"""The module has its own logger: the helper logs through it."""

import asyncio
import logging

from aiohttp import web

_background_tasks: set[asyncio.Task[object]] = set()


def _background_task_done(task: asyncio.Task[object]) -> None:
    """Forget a finished background task; log its exception if it failed."""
    _background_tasks.discard(task)
    if task.cancelled():
        return
    exception = task.exception()
    if exception is not None:
        _LOGGER.error("Background task %r failed", task, exc_info=exception)


def _keep_background_task(task: asyncio.Task[object]) -> asyncio.Task[object]:
    """Keep a strong reference to a background task until it is done."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


_LOGGER = logging.getLogger(__name__)


async def handle(request: web.Request) -> web.Response:
    _keep_background_task(asyncio.create_task(audit(request.path)))
    return web.Response(text="ok")


async def audit(path: str) -> None:
    _LOGGER.info("served %s", path)
