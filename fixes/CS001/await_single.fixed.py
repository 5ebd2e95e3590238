# fix-args: --unsafe-fixes
# fix-pick: 2
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


async def refresh(key):
    await asyncio.sleep(0)


async def handle(key):
    await refresh(key)
    return key


async def named(key):
    print("start")
    await asyncio.create_task(refresh(key), name="refresh")
    print("done")


async def future(fut):
    await fut


async def lookup(cache, key):
    await asyncio.gather(cache[key], refresh(key))
    if key: await refresh(key)


def sync_callback(key):
    _keep_background_task(asyncio.get_event_loop().create_task(refresh(key)))
