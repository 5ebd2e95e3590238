"""In a class that keeps its own logger, the failures are logged through it,
where the rest of the class logs, not through the module's logger."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Plugins:
    def __init__(self, namespace):
        self.logger = logging.getLogger(namespace)

    async def fire(self, hooks):
        results = await asyncio.gather(
            *(hook() for hook in hooks), return_exceptions=True
        )
        for outcome in results:
            if isinstance(outcome, Exception):
                self.logger.error("Awaitable failed in fire", exc_info=outcome)


class Runner:
    def __init__(self, logger: logging.Logger):
        self._logger = logger

    async def run_all(self, jobs):
        results = await asyncio.gather(*(job() for job in jobs), return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                self._logger.error("Awaitable failed in run_all", exc_info=outcome)

    @classmethod
    async def run_once(cls, jobs):
        results = await asyncio.gather(*(job() for job in jobs), return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in run_once", exc_info=outcome)


class Mixed:
    def __init__(self, log):
        self.log = log

    def reset(self):
        self.log = []

    async def run_all(self, jobs):
        # `self.log` is also a list here: the module's logger it is.
        results = await asyncio.gather(*(job() for job in jobs), return_exceptions=True)
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in run_all", exc_info=outcome)
