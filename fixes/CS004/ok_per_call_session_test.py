"""A test helper makes one request per call, in a test that runs alone: no
application to hold a shared session."""
import aiohttp


async def call_endpoint(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as response:
            return await response.json()
