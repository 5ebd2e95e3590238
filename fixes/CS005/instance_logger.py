"""In a class that keeps its own logger, the failures are logged through it,
where the rest of the class logs, not through the module's logger."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Plugins:
    def __init__(self, namespace):
        self.logger = logging.getLogger(namespace)

    async def fire(self, hooks):
        await asyncio.gather(*(hook() for hook in hooks), return_exceptions=True)


class Runner:
    def __init__(self, logger: logging.Logger):
        self._logger = logger

    async def run_all(self, jobs):
        await asyncio.gather(*(job() for job in jobs), return_exceptions=True)

    @classmethod
    async def run_once(cls, jobs):
        await asyncio.gather(*(job() for job in jobs), return_exceptions=True)


class Mixed:
    def __init__(self, log):
        self.log = log

    def reset(self):
        self.log = []

    async def run_all(self, jobs):
        # `self.log` is also a list here: the module's logger it is.
        await asyncio.gather(*(job() for job in jobs), return_exceptions=True)
