# fix-args: --unsafe-fixes --target-version py310
# fix-pick: 2
import asyncio
import logging

_background_tasks = set()


def _background_task_done(task):
    """Forget a finished background task; log its exception if it failed."""
    _background_tasks.discard(task)
    if task.cancelled():
        return
    exception = task.exception()
    if exception is not None:
        logging.getLogger(__name__).error(
            "Background task %r failed", task, exc_info=exception
        )


def _keep_background_task(task):
    """Keep a strong reference to a background task until it is done."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


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
        _ = _keep_background_task(asyncio.get_running_loop().create_task(fetch(query), name=url))
    else:
        print("queued")


async def poll(queue):
    while True:
        url = await queue.get()
        _keep_background_task(asyncio.ensure_future(fetch(url)))
