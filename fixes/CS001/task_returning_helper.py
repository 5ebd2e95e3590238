"""A module helper that creates a task, logs its failure and returns it."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


def _log_failure(task):
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("failed", exc_info=task.exception())


def spawn(coro, *, name=None):
    task = asyncio.create_task(coro, name=name)
    task.add_done_callback(_log_failure)
    return task


def start(coro):
    return asyncio.ensure_future(coro)


async def refresh(item):
    await asyncio.sleep(0)
    print(item)


class Poller:
    def _start(self, coro):
        return asyncio.get_running_loop().create_task(coro)

    async def on_event(self, event):
        self._start(refresh(event))


async def handle(item):
    spawn(refresh(item), name="refresh")
    return "ok"


async def handle_later(item):
    pending = start(refresh(item))
    print("scheduled")
