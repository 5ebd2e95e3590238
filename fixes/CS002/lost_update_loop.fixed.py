# fix-args: --unsafe-fixes --target-version py311
"""A value read from shared state at the end of one iteration and written
back in the next: the `await` in between lets other coroutines move it."""
import asyncio

cursor = 0
cursor_lock = asyncio.Lock()
latest = 0


async def follow(pages):
    global cursor
    position = None
    async with cursor_lock:
        for page in pages:
            if position is not None:
                cursor = position + len(page)
            position = cursor
            await asyncio.sleep(0)


async def watch():
    # The same, but the loop never ends: holding a lock over it would starve
    # every other caller, so no fix is offered.
    global latest
    seen = None
    while True:
        if seen is not None:
            latest = seen + 1
        seen = latest
        await asyncio.sleep(1)


async def main():
    await asyncio.gather(follow(["a", "bb"]), follow(["ccc"]), watch())
