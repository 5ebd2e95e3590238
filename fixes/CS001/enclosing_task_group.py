# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import asyncio


async def fetch(url):
    await asyncio.sleep(0)


async def crawl(urls):
    async with asyncio.TaskGroup() as group:
        group.create_task(fetch(urls[0]))
        for url in urls[1:]:
            asyncio.create_task(fetch(url))
