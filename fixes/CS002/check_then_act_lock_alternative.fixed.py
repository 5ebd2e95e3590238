# fix-args: --unsafe-fixes --target-version py311
# fix-pick: 2
"""The lock is the alternative to storing the task (`fix --interactive`
offers both): it keeps renderers in the cache but serialises every start."""
import asyncio

_renderers = {}
_renderers_lock = asyncio.Lock()


class Renderer:
    def __init__(self, path):
        self.path = path

    def close(self):
        self.path = None


async def start(path):
    await asyncio.sleep(0.01)
    return Renderer(path)


async def renderer(path):
    async with _renderers_lock:
        if path not in _renderers:
            _renderers[path] = await start(path)
    return _renderers[path]
