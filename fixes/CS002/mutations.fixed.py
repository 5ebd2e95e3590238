# fix-args: --unsafe-fixes
import asyncio
import collections as c
from collections import deque

counts = c.Counter()
queue = deque()
registry = dict()
members = set()
by_kind = c.defaultdict(list)
state = {"last": None, "history": []}
hits = 0
cache = None


def init():
    global cache
    cache = {}


async def worker(item):
    await asyncio.sleep(0)
    queue.append(item)
    queue.extend([item, item])
    registry.update({item: True})
    registry.pop(item, None)
    registry.setdefault(item, 1)
    members.add(item)
    members.discard(item)
    members.remove(item)
    by_kind[item].append(item)
    state["history"].insert(0, item)
    state["last"] = item
    counts[item] += 1
    del registry[item]
    members.clear()


async def bump():
    global hits
    hits = hits + 1
    cache["bumped"] = True


async def helper(item):
    # Awaited by a concurrent coroutine, so concurrent too.
    registry[item] = 1


async def spawned(item):
    await helper(item)


async def drain():
    # Only reached through a list of coroutines handed to `asyncio.wait`.
    queue.popleft()


async def main(items):
    await asyncio.gather(*[worker(i) for i in items])
    asyncio.create_task(bump())
    async with asyncio.TaskGroup() as tg:
        for i in items:
            tg.create_task(spawned(i))
    tasks = []
    for i in items:
        tasks.append(drain())
    await asyncio.wait(tasks)
