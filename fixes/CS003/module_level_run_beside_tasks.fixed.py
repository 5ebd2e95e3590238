# fix-args: --unsafe-fixes --target-version py312
"""Control: a module-level `asyncio.run` of a coroutine that starts tasks
beside the blocking one is not alone."""
import asyncio


async def tick():
    await asyncio.sleep(1)


async def main():
    await asyncio.gather(tick(), tick())


asyncio.run(main())
