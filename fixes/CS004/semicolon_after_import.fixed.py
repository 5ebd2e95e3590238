# fix-args: --unsafe-fixes
"""The last import shares its line with another statement (found by fuzzing):
the helper goes on the lines after it, not inline after the `;`."""
import aiohttp
import json; TIMEOUT = [
    10,
]


async def fetch_data(url: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(url, timeout=TIMEOUT[0]) as resp:
            return json.loads(await resp.text())
