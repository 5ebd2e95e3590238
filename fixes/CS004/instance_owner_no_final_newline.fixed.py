# fix-args: --unsafe-fixes --target-version py311
"""A client whose close method ends the file, which has no final newline."""
import aiohttp


class StatusClient:
    _http_session: aiohttp.ClientSession | None = None

    def __init__(self, base_url):
        self.base_url = base_url

    async def status(self):
        session = self._get_http_session()
        async with session.get(f"{self.base_url}/status") as resp:
            return await resp.json()

    def _get_http_session(self) -> aiohttp.ClientSession:
        """This object's HTTP session, made on first use, closed by `close()`."""
        if self._http_session is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession()
        return self._http_session

    async def close(self):
        self.base_url = None
        if self._http_session is not None:
            await self._http_session.close()
            self._http_session = None