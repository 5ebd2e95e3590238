"""Dropped handles of coroutines that never suspend: each runs to its end in
its first step, while the loop's ready queue still holds it, so it cannot be
collected half-way; a task that fails is logged as soon as it is collected."""

import asyncio


class Track:
    def __init__(self):
        self._queue = asyncio.Queue()

    async def recv(self):
        return await self._queue.get()


def player_worker(loop: asyncio.AbstractEventLoop, track: Track, frames):
    # A media thread hands frames to the loop: `put` on a queue built
    # without `maxsize` never waits, and raises nothing.
    for frame in frames:
        asyncio.run_coroutine_threadsafe(track._queue.put(frame), loop)
    asyncio.run_coroutine_threadsafe(track._queue.put(None), loop)


def decoder_worker(loop, output_q: asyncio.Queue, frames):
    # Annotated `asyncio.Queue`: every queue this module builds is unbounded.
    for frame in frames:
        asyncio.run_coroutine_threadsafe(output_q.put(frame), loop)


events = asyncio.Queue(maxsize=0)


def on_event(event):
    asyncio.ensure_future(events.put(event))


class App:
    def __init__(self):
        self._messages = []
        self.size = None

    def post_message(self, message):
        self._messages.append(message)
        return True

    async def _post_message(self, message):
        return self.post_message(message)

    async def _update_size(self, size):
        self.size = size
        await self._post_message(("resize", size))


class Driver:
    def __init__(self, app: App, loop):
        self._app = app
        self._loop = loop

    def on_resize(self, size):
        # Awaits only a coroutine that only calls a sync method.
        asyncio.run_coroutine_threadsafe(self._app._update_size(size), self._loop)


async def _walk(node, seen):
    # Recursion through awaits runs in the same step.
    seen.append(node)
    for child in node.children:
        await _walk(child, seen)


async def _check(value):
    if value < 0:
        raise ValueError(value)


async def handler(tree, value):
    asyncio.create_task(_walk(tree, []))
    # A task's failure is logged ("Task exception was never retrieved") when
    # the finished task is collected, right after its one step.
    asyncio.create_task(_check(value))
