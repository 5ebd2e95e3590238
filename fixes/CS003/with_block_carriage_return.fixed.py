# fix-args: --unsafe-fixes
"""A line break that is a carriage return alone (an old Mac file pasted in)
ends a line like any other: the line after it moves with the block."""

import asyncio


async def copy(src, dst):
    def _sync_work() -> None:
        with open(src, "rb") as a, open(dst, "wb") as b:
            while chunk := a.read(1 << 20):                b.write(chunk)

    await asyncio.to_thread(_sync_work)
    return dst
