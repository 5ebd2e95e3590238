# fix-args: --unsafe-fixes --target-version py311
"""An API client object: one session per client, closed with the client."""
import aiohttp


class WeatherClient:
    """Talks to the weather service."""

    _http_session: aiohttp.ClientSession | None = None

    def __init__(self, base_url):
        self.base_url = base_url

    async def current(self, city):
        session = self._get_http_session()
        async with session.get(f"{self.base_url}/now/{city}") as resp:
            return await resp.json()

    async def forecast(self, city):
        session = self._get_http_session()
        resp = await session.get(f"{self.base_url}/forecast/{city}")
        return await resp.json()

    def _get_http_session(self) -> aiohttp.ClientSession:
        """This object's HTTP session, made on first use, closed by `close()`."""
        if self._http_session is None or self._http_session.closed:
            self._http_session = aiohttp.ClientSession()
        return self._http_session

    async def close(self):
        """Release the client's resources."""
        self.base_url = None
        if self._http_session is not None:
            await self._http_session.close()
            self._http_session = None


class NoOwner:
    # No close method: nothing would close a hoisted session, so no fix.
    async def fetch(self, url):
        async with aiohttp.ClientSession() as session:
            return await session.get(url)
