"""With `honour-peer-noqa = false`, Ruff's `ruff: ignore` does not suppress
our findings either."""

import asyncio


async def notify(event):
    asyncio.create_task(send(event))  # ruff: ignore[asyncio-dangling-task]


async def send(event):
    await asyncio.sleep(0)
