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


async def job(n=0):
    await asyncio.sleep(0)
    return n


async def replaced_in_both_branches(flag):
    task = _keep_background_task(asyncio.create_task(job(1)))
    if flag:
        task = asyncio.create_task(job(2))
    else:
        task = asyncio.create_task(job(3))
    await task


async def replaced_in_the_same_branch(flag):
    if flag:
        task = _keep_background_task(asyncio.create_task(job(4)))
        task = asyncio.create_task(job(5))
        await task


async def replaced_before_the_block(flag):
    task = _keep_background_task(asyncio.create_task(job(6)))
    task = None
    if flag:
        print(task)


async def replaced_in_try_and_handler():
    task = _keep_background_task(asyncio.create_task(job(7)))
    try:
        task = asyncio.create_task(job(8))
    except RuntimeError:
        task = None
    return task
