# fix-args: --unsafe-fixes --target-version py311
import aiohttp


async def main(urls):
    for url in urls:
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as resp:
                print(url, resp.status)
