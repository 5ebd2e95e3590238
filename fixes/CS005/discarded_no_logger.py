# fix-args: --target-version py311
"""A module with no logger of its own."""

import asyncio


async def notify(user):
    return user


async def notify_everyone(users):
    await asyncio.gather(*(notify(u) for u in users), return_exceptions=True)
