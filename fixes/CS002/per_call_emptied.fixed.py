# fix-args: --unsafe-fixes --target-version py311
"""A coroutine that empties a module-level container, fills it, and returns
it treats it as its own: concurrent calls empty and fill the same one. One
that only updates shared state and returns it is a cache, not reported."""
import asyncio

found = []
settings = {}


async def search(terms, index):
    found.clear()
    for term in terms:
        found.extend(await index.lookup(term))
    return sorted(found)


async def reload(source):
    # Every caller gets the one shared, latest settings dict on purpose.
    settings.update(await source.read())
    return settings


async def main(index, source):
    await asyncio.gather(search(["a"], index), search(["b"], index))
    await asyncio.gather(reload(source), reload(source))
