"""Deliberate fire-and-forget tasks, marked for Ruff and flake8-async."""

import asyncio


async def notify(event):
    asyncio.create_task(send(event))  # noqa: RUF006
    asyncio.ensure_future(send(event))  # noqa: ASYNC300


async def send(event):
    await asyncio.sleep(0)
