"""An instance logger is used only when it surely is a `logging.Logger`
(corpus F: crawl4ai's `self.logger` is `Optional[AsyncLoggerBase]`, `None` by
default, and its `error` takes no `exc_info`)."""
import asyncio
import logging
from typing import Optional

_LOGGER = logging.getLogger(__name__)


class AsyncLoggerBase:
    def error(self, message, tag="ERROR", **kwargs):
        print(message)


class Seeder:
    def __init__(self, logger: Optional[AsyncLoggerBase] = None):
        self.logger = logger

    async def probe(self, urls):
        results = await asyncio.gather(
            *(self.fetch(u) for u in urls), return_exceptions=True
        )
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in probe", exc_info=outcome)
        return len(urls)

    async def fetch(self, url):
        return url


class Typed:
    # Control: annotated `logging.Logger`, no `None` default.
    def __init__(self, logger: logging.Logger):
        self.logger = logger

    async def probe(self, urls):
        results = await asyncio.gather(
            *(self.fetch(u) for u in urls), return_exceptions=True
        )
        for outcome in results:
            if isinstance(outcome, Exception):
                self.logger.error("Awaitable failed in probe", exc_info=outcome)
        return len(urls)

    async def fetch(self, url):
        return url
