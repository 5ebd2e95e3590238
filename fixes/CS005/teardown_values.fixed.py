# fix-args: --unsafe-fixes --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class Pool:
    async def close(self):
        # A teardown whose results flow on: reported, but never raised in.
        closed = await asyncio.gather(*(c.aclose() for c in self._conns), return_exceptions=True)
        for outcome in closed:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in close", exc_info=outcome)
        return [c.id for c in closed]
