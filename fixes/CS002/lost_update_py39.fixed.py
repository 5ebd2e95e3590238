# fix-args: --unsafe-fixes --target-version py39
import asyncio

counter = 0


async def bump(n):
    global counter
    counter += await asyncio.sleep(0, result=n)


async def main():
    await asyncio.gather(bump(1), bump(2))
