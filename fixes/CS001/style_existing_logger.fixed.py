# fix-args: --target-version py311
"""The module has its own logger: the helper logs through it."""

import asyncio
import logging
from typing import Any

from aiohttp import web

_LOGGER = logging.getLogger(__name__)


_background_tasks: set[asyncio.Future[Any]] = set()


def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Background task failed", exc_info=task.exception())


async def handle(request: web.Request) -> web.Response:
    _keep_background_task(asyncio.create_task(audit(request.path)))
    return web.Response(text="ok")


async def audit(path: str) -> None:
    await asyncio.sleep(0)
    _LOGGER.info("served %s", path)
