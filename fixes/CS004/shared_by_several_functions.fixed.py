# fix-args: --unsafe-fixes --target-version py311
"""Several handlers, one shared session."""
import aiohttp


async def fetch_json(url):
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return await resp.json()


async def fetch_text(url):
    async with aiohttp.ClientSession() as session:  # per call
        # Read the body.
        async with session.get(url) as resp:
            return await resp.text()


async def post_form(url, data):
    session = aiohttp.ClientSession()
    try:
        async with session.post(url, data=data) as resp:
            return resp.status
    finally:
        await session.close()


async def head(url):
    async with aiohttp.ClientSession() as session, session.head(url) as resp:
        return resp.headers
