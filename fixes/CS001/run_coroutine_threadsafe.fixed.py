import asyncio
import threading
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


async def job():
    await asyncio.sleep(0)


def worker(loop):
    """Runs in another thread; hands work to the event loop's thread."""
    _keep_background_task(asyncio.run_coroutine_threadsafe(job(), loop))


def start(loop):
    threading.Thread(target=worker, args=(loop,)).start()
