"""A module whose imports follow no sorter: third-party before standard library."""
import pytest
import asyncio
import logging
from typing import Any
from myapp.events import Message

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


async def listen(connector):
    await connector.receive(Message)


async def start(connector):
    await connector.connect()
    _keep_background_task(asyncio.create_task(listen(connector)))
    assert pytest
