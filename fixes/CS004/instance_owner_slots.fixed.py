# fix-args: --unsafe-fixes --target-version py311
"""A class with `__slots__` has no instance `__dict__`: the session's
attribute goes into the slots (corpus F: twitchio's `Websocket`)."""
import aiohttp


class Socket:
    __slots__ = ("url", "_closed", "_http_session")

    def __init__(self, url):
        self.url = url

    async def probe(self):
        session = self._get_http_session()
        return await session.get(self.url)

    def _get_http_session(self) -> aiohttp.ClientSession:
        """This object's HTTP session, made on first use, closed by `close()`."""
        if getattr(self, "_http_session", None) is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession()
        return self._http_session

    async def close(self):
        self._closed = True
        if getattr(self, "_http_session", None) is not None:
            await self._http_session.close()
            self._http_session = None


class MultiLineSlots:
    # One string a line: the new one goes on its own line.
    __slots__ = (
        "url",
        "_closed",
        "_http_session",
    )

    def __init__(self, url):
        self.url = url

    async def probe(self):
        session = self._get_http_session()
        return await session.get(self.url)

    def _get_http_session(self) -> aiohttp.ClientSession:
        """This object's HTTP session, made on first use, closed by `close()`."""
        if getattr(self, "_http_session", None) is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession()
        return self._http_session

    async def close(self):
        self._closed = True
        if getattr(self, "_http_session", None) is not None:
            await self._http_session.close()
            self._http_session = None


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

    _http_session: aiohttp.ClientSession | None = None

    def __init__(self, url):
        self.url = url

    async def probe(self):
        session = self._get_http_session()
        return await session.get(self.url)

    def _get_http_session(self) -> aiohttp.ClientSession:
        """This object's HTTP session, made on first use, closed by `close()`."""
        if self._http_session is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession()
        return self._http_session

    async def close(self):
        self.url = None
        if self._http_session is not None:
            await self._http_session.close()
            self._http_session = None
