import asyncio
import concurrent.futures
import logging
import threading
from typing import Any

_background_tasks: set[concurrent.futures.Future[Any]] = set()


def _keep_background_task(
    task: concurrent.futures.Future[Any],
) -> concurrent.futures.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: concurrent.futures.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


async def job():
    await asyncio.sleep(0)


def worker(loop):
    """Runs in another thread; hands work to the event loop's thread."""
    _keep_background_task(asyncio.run_coroutine_threadsafe(job(), loop))


def start(loop):
    threading.Thread(target=worker, args=(loop,)).start()
