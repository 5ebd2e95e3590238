# fix-args: --unsafe-fixes
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
