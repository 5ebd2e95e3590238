"""`put` on an asyncio queue, handed to a loop from another thread or
scheduled on its own: it either finishes at once or waits on a future the
queue keeps, and it cannot fail."""

import asyncio
from typing import Optional


class Buffer:
    queue: Optional["asyncio.Queue[bytes]"] = None

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.pending = asyncio.Queue()

    def put_threadsafe(self, item: bytes) -> None:
        # Called from the producer thread.
        assert self.queue is not None
        asyncio.run_coroutine_threadsafe(self.queue.put(item), self.loop)

    def put_soon(self, item: bytes) -> None:
        asyncio.ensure_future(self.pending.put(item))
