"""A module whose logger comes from the project's own factory function."""
import asyncio

from .logs import get_logger

log = get_logger(__name__)


class Poller:
    def schedule(self):
        asyncio.ensure_future(self.poll())

    async def poll(self):
        log.debug("polling")
