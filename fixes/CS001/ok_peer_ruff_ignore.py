"""Deliberate fire-and-forget tasks, marked with Ruff's own line comment:
by code, or by rule name as Ruff's preview writes it."""

import asyncio


async def notify(event):
    asyncio.create_task(send(event))  # ruff: ignore[RUF006]
    asyncio.create_task(send(event))  # ruff: ignore[E501, asyncio-dangling-task]


async def send(event):
    await asyncio.sleep(0)
