# fix-args: --unsafe-fixes --target-version py311
"""The control for `ok_lock_factory.py`: the same update under a lock bound
at module level."""
import asyncio

guard = asyncio.Lock()
visits: dict = {}


async def visit(page):
    async with guard:
        seen = visits.get(page, 0)
        await asyncio.sleep(0)
        visits[page] = seen + 1


async def main():
    await asyncio.gather(visit("home"), visit("home"))
