"""Every gathered coroutine handles its own failures: its awaited work runs in
a `try` whose handler catches `Exception` (or wider) and logs it or returns a
failure value, without raising. The list holds their return values, never an
exception: there is nothing to check."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


def traced(function):
    return function


class Crawler:
    def __init__(self, client):
        self.client = client

    async def crawl_url(self, url, semaphore):
        started = 0
        if not url:
            return {"url": url, "ok": False, "error": "no url"}
        try:
            async with semaphore:
                page = await self.client.get(url)
        except Exception as e:
            return {"url": url, "ok": False, "error": str(e)}
        finally:
            started += 1
        return {"url": url, "ok": True, "page": page}

    async def run_urls(self, urls):
        semaphore = asyncio.Semaphore(4)
        tasks = []
        for url in urls:
            task = asyncio.create_task(self.crawl_url(url, semaphore))
            tasks.append(task)
        return await asyncio.gather(*tasks, return_exceptions=True)

    async def _fetch_head(self, record):
        try:
            record["head"] = await self.client.head(record["url"])
        except asyncio.CancelledError:
            raise
        except BaseException:
            record["status"] = "not_valid"

    async def extract_heads(self, records):
        sem = asyncio.Semaphore(8)

        # No `try` of its own: its only await is of a coroutine that
        # handles its own failures, under an asyncio semaphore.
        async def fetch_one(record):
            if record.get("head"):
                return
            async with sem:
                await self._fetch_head(record)

        await asyncio.gather(*[fetch_one(r) for r in records], return_exceptions=True)
        return records


async def iter_sitemaps(client, sitemaps):
    queue = asyncio.Queue(maxsize=1000)

    @traced
    async def process(sitemap):
        try:
            async for url in client.iter_sitemap(sitemap):
                await queue.put(url)
        except Exception as e:
            _LOGGER.error("sitemap %s failed: %s", sitemap, e)
        finally:
            await queue.put(None)

    tasks = [asyncio.create_task(process(s)) for s in sitemaps]
    done = 0
    while done < len(sitemaps):
        item = await queue.get()
        if item is None:
            done += 1
        else:
            yield item
    await asyncio.gather(*tasks, return_exceptions=True)


async def refresh_all(devices):
    async def refresh(device):
        try:
            await device.refresh()
        except:  # noqa: E722
            _LOGGER.exception("refresh of %s failed", device)

    results = await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)
    return len(results)
