# fix-args: --unsafe-fixes --target-version py311
"""A class with `__slots__` has no instance `__dict__`: the session's
attribute goes into the slots (corpus F: twitchio's `Websocket`)."""
import aiohttp


class Socket:
    __slots__ = ("url", "_closed")

    def __init__(self, url):
        self.url = url

    async def probe(self):
        async with aiohttp.ClientSession() as session:
            return await session.get(self.url)

    async def close(self):
        self._closed = True


class MultiLineSlots:
    # One string a line: the new one goes on its own line.
    __slots__ = (
        "url",
        "_closed",
    )

    def __init__(self, url):
        self.url = url

    async def probe(self):
        async with aiohttp.ClientSession() as session:
            return await session.get(self.url)

    async def close(self):
        self._closed = True


class ComputedSlots:
    # Slots that are not a literal list of strings: no fix.
    __slots__ = tuple(["url"])

    async def probe(self):
        async with aiohttp.ClientSession() as session:
            return await session.get(self.url)

    async def close(self):
        pass


class NoSlots:
    """Control: no slots, the class-level default."""

    def __init__(self, url):
        self.url = url

    async def probe(self):
        async with aiohttp.ClientSession() as session:
            return await session.get(self.url)

    async def close(self):
        self.url = None
