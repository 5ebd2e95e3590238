"""`put` of a queue class of the project, which may fail: its task is still
reported."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Channel:
    def __init__(self, sink):
        self._sink = sink

    async def put(self, item):
        await self._sink.send(item)


class Buffer:
    def __init__(self, sink):
        self.channel = Channel(sink)

    def put_soon(self, item):
        asyncio.ensure_future(self.channel.put(item))
