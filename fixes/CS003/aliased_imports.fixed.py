"""Docstring stays first."""
from __future__ import annotations

import asyncio as aio


async def handler():
    await aio.sleep(1)
    await aio.sleep(2)
    await aio.sleep(0)
