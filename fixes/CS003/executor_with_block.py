# fix-args: --unsafe-fixes --target-version py38
import asyncio


async def save(path, text):
    with open(path, "w") as f:
        f.write(text)
