# fix-args: --unsafe-fixes --target-version py311
import aiohttp


async def fetch(url):
    session = aiohttp.ClientSession()
    resp = await session.get(url)
    text = await resp.text()
    await session.close()
    return text
