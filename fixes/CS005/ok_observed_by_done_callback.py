"""Background tasks that each carry a done callback reading their outcome:
waiting for them with a gather loses nothing."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Events:
    def __init__(self):
        self._fired: list[asyncio.Future] = []

    def _on_done(self, future):
        try:
            future.result()
        except asyncio.CancelledError:
            pass
        except Exception:
            _LOGGER.exception("event handler failed")
        self._fired.remove(future)

    def fire(self, handlers, **kwargs):
        tasks = []
        for handler in handlers:
            tasks.append(asyncio.ensure_future(handler(**kwargs)))
            tasks[-1].add_done_callback(self._on_done)
        self._fired.extend(tasks)

    def fire_one(self, handler):
        task = asyncio.ensure_future(handler())
        task.add_done_callback(self._on_done)
        self._fired.append(task)

    async def wait_fired(self):
        fired = list(self._fired)
        await asyncio.gather(*fired, return_exceptions=True)


class Jobs:
    def __init__(self):
        self._jobs = set()

    def start(self, job):
        task = asyncio.create_task(job())
        task.add_done_callback(
            lambda t: t.cancelled() or _LOGGER.debug("job done", exc_info=t.exception())
        )
        self._jobs.add(task)

    async def wait(self):
        await asyncio.gather(*self._jobs, return_exceptions=True)
