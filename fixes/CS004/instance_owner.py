# fix-args: --unsafe-fixes --target-version py311
"""An API client object: one session per client, closed with the client."""
import aiohttp


class WeatherClient:
    """Talks to the weather service."""

    def __init__(self, base_url):
        self.base_url = base_url

    async def current(self, city):
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{self.base_url}/now/{city}") as resp:
                return await resp.json()

    async def forecast(self, city):
        session = aiohttp.ClientSession()
        try:
            resp = await session.get(f"{self.base_url}/forecast/{city}")
            return await resp.json()
        finally:
            await session.close()

    async def close(self):
        """Release the client's resources."""
        self.base_url = None


class NoOwner:
    # No close method: nothing would close a hoisted session, so no fix.
    async def fetch(self, url):
        async with aiohttp.ClientSession() as session:
            return await session.get(url)
