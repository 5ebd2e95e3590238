# fix-args: --unsafe-fixes --target-version py311
"""A client whose close method ends the file, which has no final newline."""
import aiohttp


class StatusClient:
    def __init__(self, base_url):
        self.base_url = base_url

    async def status(self):
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{self.base_url}/status") as resp:
                return await resp.json()

    async def close(self):
        self.base_url = None