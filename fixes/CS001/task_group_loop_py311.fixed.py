# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import asyncio


async def fetch(url):
    await asyncio.sleep(0)


async def crawl(urls):
    async with asyncio.TaskGroup() as tg:
        for url in urls:
            if url.startswith("https"):
                tg.create_task(fetch(url))

            # a comment stays with its line
            query = """
SELECT *
  FROM pages"""
            _ = tg.create_task(fetch(query), name=url)
        else:
            print("queued")


async def poll(queue):
    async with asyncio.TaskGroup() as tg:
        while True:
            url = await queue.get()
            tg.create_task(fetch(url))
