# fix-args: --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def refresh(device):
    return device


async def refresh_all(devices):
    await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)
    _LOGGER.debug("refreshed %d devices", len(devices))


async def refresh_named(devices):
    outcomes = await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)
    _LOGGER.debug("refreshed %d devices", len(outcomes))


async def refresh_underscore(devices):
    _ = await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)


async def refresh_in_branch(devices, enabled):
    if enabled:
        await asyncio.gather(
            *(refresh(d) for d in devices),
            return_exceptions=True,
        )
    return enabled
