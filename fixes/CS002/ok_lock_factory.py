# fix-args: --unsafe-fixes --target-version py311
"""Writes under a lock, wherever the lock comes from."""
import asyncio
from typing import Optional

_registry_lock: Optional[asyncio.Lock] = None
_plain = asyncio.Lock()
scores: dict = {}
total = 0


def registry_lock() -> asyncio.Lock:
    # Created on first use, inside the running loop.
    global _registry_lock
    if _registry_lock is None:
        _registry_lock = asyncio.Lock()
    return _registry_lock


def plain_lock():
    return _plain


def any_lock():
    # A factory returning another factory's lock.
    return registry_lock() if scores else plain_lock()


async def refresh(key):
    async with registry_lock():
        old = scores.get(key, 0)
        await asyncio.sleep(0)
        scores[key] = old + 1


async def refresh_other(key):
    async with any_lock():
        scores[key] = scores.get(key, 0) + await asyncio.sleep(0, result=1)


async def add(n, lock: asyncio.Lock):
    global total
    async with lock:
        total += await asyncio.sleep(0, result=n)


class Counter:
    _class_lock = asyncio.Condition()

    def __init__(self):
        self._lock = asyncio.Semaphore(1)
        self.db_mutex = None

    async def bump(self):
        global total
        async with self._lock:
            total += await asyncio.sleep(0, result=1)

    @classmethod
    async def bump_class(cls):
        global total
        async with cls._class_lock:
            total += await asyncio.sleep(0, result=1)

    async def bump_elsewhere(self, other):
        # Another object's lock: the code does not say what it is, the name
        # does.
        global total
        async with other.write_lock:
            total += await asyncio.sleep(0, result=1)


async def main(counter, other):
    await asyncio.gather(refresh("a"), refresh("a"), refresh_other("b"), add(1, _plain))
    await asyncio.gather(counter.bump(), Counter.bump_class(), counter.bump_elsewhere(other))
