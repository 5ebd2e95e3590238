"""Dropped handles whose coroutine can suspend, or whose failure would be
lost without a trace: still reported."""

import asyncio

from .app import post_message


class Track:
    def __init__(self):
        # Bounded: `put` waits while the queue is full.
        self._queue = asyncio.Queue(maxsize=10)


async def _forward(track: Track, frame):
    # `put` may wait here: this coroutine suspends.
    await track._queue.put(frame)


def player_worker(loop, track: Track, frame):
    asyncio.run_coroutine_threadsafe(_forward(track, frame), loop)


async def _relay(output_q: asyncio.Queue, frame):
    # The module builds a bounded queue: this one may be it.
    await output_q.put(frame)


def decoder_worker(loop, output_q: asyncio.Queue, frame):
    asyncio.run_coroutine_threadsafe(_relay(output_q, frame), loop)


jobs = asyncio.Queue()


def resize_jobs(size):
    global jobs
    jobs = asyncio.Queue(size)


async def _enqueue(job):
    await jobs.put(job)


def submit(loop, job):
    asyncio.run_coroutine_threadsafe(_enqueue(job), loop)


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
        asyncio.create_task(self._send(data))


async def handler(message):
    asyncio.create_task(_yield_then_log(message))
    # A coroutine of another module: its body is not known here.
    asyncio.create_task(post_message(message))


async def _deliver(message):
    if message is None:
        raise ValueError("no message")


def from_thread(loop, message):
    # Never suspends, but raises on purpose: the dropped concurrent future
    # is the only place that failure would show.
    asyncio.run_coroutine_threadsafe(_deliver(message), loop)
