# fix-args: --unsafe-fixes --target-version py310
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


async def fetch(url):
    await asyncio.sleep(0)


async def crawl(urls):
    for url in urls:
        if url.startswith("https"):
            _keep_background_task(asyncio.create_task(fetch(url)))

        # a comment stays with its line
        query = """
SELECT *
  FROM pages"""
        _ = _keep_background_task(
            asyncio.get_running_loop().create_task(fetch(query), name=url)
        )
    else:
        print("queued")


async def poll(queue):
    while True:
        url = await queue.get()
        _keep_background_task(asyncio.ensure_future(fetch(url)))
