"""A data generator run once by `python -m`: its coroutine is reached only
from the script's entry point, so one session per run is all there is."""

import aiohttp

DATA_URL = "https://example.org/data.txt"


async def fetch_data() -> dict[str, str]:
    async with aiohttp.ClientSession() as session, session.get(DATA_URL) as resp:
        text = await resp.text()
    return dict(line.split("=", 1) for line in text.splitlines())


if __name__ == "__main__":
    import asyncio

    print(asyncio.run(fetch_data()))
