"""Done callbacks that only forget the task or only read its exception (which
silences it), or a task added without one: the gather's results are the
only record of those failures."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Jobs:
    def __init__(self):
        self._jobs = set()

    def start(self, job):
        task = asyncio.create_task(job())
        task.add_done_callback(self._jobs.discard)
        self._jobs.add(task)

    async def wait(self):
        results = await asyncio.gather(*self._jobs, return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in wait", exc_info=outcome)


class Quiet:
    def __init__(self):
        self._jobs = []

    def start(self, job):
        task = asyncio.create_task(job())
        task.add_done_callback(lambda t: t.cancelled() or t.exception())
        self._jobs.append(task)

    async def wait(self):
        results = await asyncio.gather(*self._jobs, return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in wait", exc_info=outcome)


class Events:
    def __init__(self):
        self._fired = []

    def _on_done(self, future):
        if not future.cancelled() and future.exception():
            _LOGGER.error("event failed", exc_info=future.exception())

    def fire(self, handler):
        task = asyncio.ensure_future(handler())
        task.add_done_callback(self._on_done)
        self._fired.append(task)

    def fire_quietly(self, handler):
        self._fired.append(asyncio.ensure_future(handler()))

    async def wait_fired(self):
        results = await asyncio.gather(*self._fired, return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in wait_fired", exc_info=outcome)
