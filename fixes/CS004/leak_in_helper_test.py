"""Control: in test code a leaked session is still reported (only the
per-call check is off there)."""
import aiohttp


async def fetch_json(url):
    session = aiohttp.ClientSession()
    response = await session.get(url)
    data = await response.json()
    await session.close()
    return data
