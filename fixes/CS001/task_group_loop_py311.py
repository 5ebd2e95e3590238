# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
import asyncio


async def fetch(url):
    await asyncio.sleep(0)


async def crawl(urls):
    for url in urls:
        if url.startswith("https"):
            asyncio.create_task(fetch(url))

        # a comment stays with its line
        query = """
SELECT *
  FROM pages"""
        _ = asyncio.get_running_loop().create_task(fetch(query), name=url)
    else:
        print("queued")


async def poll(queue):
    while True:
        url = await queue.get()
        asyncio.ensure_future(fetch(url))
