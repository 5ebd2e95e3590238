# fix-args: --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def refresh(device):
    return device


async def refresh_all(devices):
    results = await asyncio.gather(
        *(refresh(d) for d in devices), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in refresh_all", exc_info=outcome)
    _LOGGER.debug("refreshed %d devices", len(devices))


async def refresh_named(devices):
    outcomes = await asyncio.gather(*(refresh(d) for d in devices), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in refresh_named", exc_info=outcome)
    _LOGGER.debug("refreshed %d devices", len(outcomes))


async def refresh_underscore(devices):
    results = await asyncio.gather(
        *(refresh(d) for d in devices), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in refresh_underscore", exc_info=outcome)


async def refresh_in_branch(devices, enabled):
    if enabled:
        results = await asyncio.gather(
            *(refresh(d) for d in devices),
            return_exceptions=True,
        )
        for outcome in results:
            if isinstance(outcome, Exception):
                _LOGGER.error("Awaitable failed in refresh_in_branch", exc_info=outcome)
    return enabled
