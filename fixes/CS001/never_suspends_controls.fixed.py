"""Dropped handles whose coroutine can suspend, or whose failure would be
lost without a trace: still reported."""

import asyncio
import logging
from typing import Any

from .app import post_message

_background_tasks: set[Any] = set()


def _keep_background_task(task: Any) -> Any:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: Any) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


class Track:
    def __init__(self):
        # Bounded: `put` waits while the queue is full.
        self._queue = asyncio.Queue(maxsize=10)


async def _forward(track: Track, frame):
    # `put` may wait here: this coroutine suspends.
    await track._queue.put(frame)


def player_worker(loop, track: Track, frame):
    _keep_background_task(
        asyncio.run_coroutine_threadsafe(_forward(track, frame), loop)
    )


async def _relay(output_q: asyncio.Queue, frame):
    # The module builds a bounded queue: this one may be it.
    await output_q.put(frame)


def decoder_worker(loop, output_q: asyncio.Queue, frame):
    _keep_background_task(
        asyncio.run_coroutine_threadsafe(_relay(output_q, frame), loop)
    )


jobs = asyncio.Queue()


def resize_jobs(size):
    global jobs
    jobs = asyncio.Queue(size)


async def _enqueue(job):
    await jobs.put(job)


def submit(loop, job):
    _keep_background_task(asyncio.run_coroutine_threadsafe(_enqueue(job), loop))


async def _yield_then_log(message):
    await asyncio.sleep(0)
    print(message)


class Connection:
    def __init__(self, transport):
        self._transport = transport

    async def _send(self, data):
        # An awaitable the code does not show.
        await self._transport.write(data)

    async def on_data(self, data):
        _keep_background_task(asyncio.create_task(self._send(data)))


async def handler(message):
    _keep_background_task(asyncio.create_task(_yield_then_log(message)))
    # A coroutine of another module: its body is not known here.
    _keep_background_task(asyncio.create_task(post_message(message)))


async def _deliver(message):
    if message is None:
        raise ValueError("no message")


def from_thread(loop, message):
    # Never suspends, but raises on purpose: the dropped concurrent future
    # is the only place that failure would show.
    _keep_background_task(asyncio.run_coroutine_threadsafe(_deliver(message), loop))
