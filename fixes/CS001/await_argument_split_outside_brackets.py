# fix-args: --unsafe-fixes
# fix-pick: 2
"""The coroutine goes on to a second line between the function and its
arguments, which only the call's brackets allow: awaited on its own, it
keeps brackets of its own."""
import asyncio


async def refresh(key):
    await asyncio.sleep(0)


async def handle(key):
    asyncio.create_task(refresh
                        (key))
    return key


async def handle_inside_brackets(key):
    asyncio.create_task(refresh(
        key
    ))
    return key
