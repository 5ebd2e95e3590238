"""Gathered coroutines that do not handle all their failures: a handler that
raises, one that catches some types only, an await outside the `try`, a
`raise` of its own, a gathered coroutine the code does not show, and logged
failures whose results still flow on as values. Each is reported."""

import asyncio
import logging

from .utils import log_exceptions

_LOGGER = logging.getLogger(__name__)


async def reraises(client, url):
    try:
        return await client.get(url)
    except Exception as e:
        raise LookupError(url) from e


async def narrow(client, url):
    try:
        return await client.get(url)
    except ValueError:
        return None


async def await_outside(client, url):
    await client.connect()
    try:
        return await client.get(url)
    except Exception:
        return None


async def raises_itself(client, url):
    try:
        page = await client.get(url)
    except Exception:
        page = None
    if page is None:
        raise LookupError(url)
    return page


@log_exceptions(logger=_LOGGER)
async def logged(client, url):
    return await client.get(url)


async def fetch_reraising(client, urls):
    results = await asyncio.gather(
        *(reraises(client, u) for u in urls), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in fetch_reraising", exc_info=outcome)


async def fetch_narrow(client, urls):
    results = await asyncio.gather(
        *[narrow(client, u) for u in urls], return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in fetch_narrow", exc_info=outcome)


async def fetch_outside(client, urls):
    results = await asyncio.gather(
        *(await_outside(client, u) for u in urls), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in fetch_outside", exc_info=outcome)


async def fetch_raising(client, urls):
    results = await asyncio.gather(
        *(raises_itself(client, u) for u in urls), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in fetch_raising", exc_info=outcome)


async def fetch_mixed(client, urls):
    results = await asyncio.gather(
        narrow(client, urls[0]), client.get(urls[1]), return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in fetch_mixed", exc_info=outcome)


async def pages_logged(client, urls):
    pages = await asyncio.gather(*(logged(client, u) for u in urls), return_exceptions=True)
    return pages
