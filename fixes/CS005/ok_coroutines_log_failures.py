"""Every gathered coroutine logs the exceptions it raises: it is wrapped in a
decorator that does (named for it, or a decorator of this module whose
wrapper logs in a handler of `Exception`), or its own work runs in a `try`
whose handler of `Exception` logs before raising again. Each failure is
reported where it happens, and the gather only waits (its results are not
used as values)."""

import asyncio
import functools
import logging

from .utils import log_exceptions

logger = logging.getLogger(__name__)


def reported(function):
    @functools.wraps(function)
    async def wrapper(*args, **kwargs):
        try:
            return await function(*args, **kwargs)
        except Exception:
            logger.exception("%s failed", function.__name__)
            raise

    return wrapper


async def setup_toolsets(toolsets):
    @log_exceptions(logger=logger)
    async def do_setup(toolset):
        await toolset.setup()

    await asyncio.gather(*(do_setup(ts) for ts in toolsets), return_exceptions=True)


class Pool:
    @reported
    async def _start(self, worker):
        await worker.start()

    async def start_all(self, workers):
        await asyncio.gather(*[self._start(w) for w in workers], return_exceptions=True)


async def sync_device(device):
    try:
        await device.sync()
    except Exception:
        logger.exception("sync of %s failed", device)
        raise


async def sync_all(devices):
    results = await asyncio.gather(*(sync_device(d) for d in devices), return_exceptions=True)
    logger.info("synced %d devices", len(results))
