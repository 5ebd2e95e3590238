"""Dropped handles that lose nothing: the coroutine cannot be collected
half-way, and its outcome is delivered elsewhere."""

import asyncio


def on_notification(loop: asyncio.AbstractEventLoop, ready: asyncio.Event):
    # Runs to its end in its first step: nothing to collect mid-run, and
    # `Event.set()` does not fail.
    async def mark_ready():
        ready.set()

    asyncio.run_coroutine_threadsafe(mark_ready(), loop)


async def _log_now(message):
    print(message)


async def _log_twice(message):
    await _log_now(message)
    await _log_now(message)


async def handler():
    # Awaits only same-module coroutines that never suspend.
    asyncio.create_task(_log_twice("received"))


class Worker:
    def __init__(self):
        self._loop = asyncio.new_event_loop()

    def submit(self, call):
        asyncio.run_coroutine_threadsafe(self._run_call(call), self._loop)
        return call

    async def _run_call(self, call):
        # The caller waits on `call.future`: every outcome, cancellation
        # included, lands there.
        try:
            call.future.set_result(await call.fn())
        except BaseException as exc:
            call.future.set_exception(exc)
