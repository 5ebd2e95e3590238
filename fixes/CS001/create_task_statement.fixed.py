"""A request handler that sends an email in the background."""

import asyncio
import logging
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


async def send_welcome_email(user):
    await asyncio.sleep(0)


async def handle(user):
    _keep_background_task(
        asyncio.create_task(send_welcome_email(user))
    )  # fire and forget
    return "ok"


async def handle_many(users):
    for user in users:
        _keep_background_task(asyncio.create_task(send_welcome_email(user)))
    _keep_background_task(asyncio.create_task(
        send_welcome_email(users[0]),
    )); print("sent")
