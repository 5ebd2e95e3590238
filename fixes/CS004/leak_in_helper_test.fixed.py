"""Control: in test code a leaked session is still reported (only the
per-call check is off there)."""
import aiohttp


async def fetch_json(url):
    async with aiohttp.ClientSession() as session:
        response = await session.get(url)
        data = await response.json()
        return data
