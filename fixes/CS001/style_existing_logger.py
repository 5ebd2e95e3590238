# fix-args: --target-version py311
"""The module has its own logger: the helper logs through it."""

import asyncio
import logging

from aiohttp import web

_LOGGER = logging.getLogger(__name__)


async def handle(request: web.Request) -> web.Response:
    asyncio.create_task(audit(request.path))
    return web.Response(text="ok")


async def audit(path: str) -> None:
    await asyncio.sleep(0)
    _LOGGER.info("served %s", path)
