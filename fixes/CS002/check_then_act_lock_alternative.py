# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
"""The lock is the alternative to storing the task (`fix --interactive`
offers both): it keeps values in the cache but serialises every build."""
import asyncio

_thumbnails = {}


async def render(path):
    await asyncio.sleep(0.01)
    return f"thumb:{path}"


async def thumbnail(path):
    if path not in _thumbnails:
        _thumbnails[path] = await render(path)
    return _thumbnails[path]
