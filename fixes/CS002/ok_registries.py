# fix-args: --unsafe-fixes --target-version py311
"""Registries, queues and caches that concurrent coroutines update without an
`await` between reading and writing: each update is atomic under asyncio, and
no call hands the container out as its own result. Not reported."""
import asyncio
import collections as c
from collections import deque

counts = c.Counter()
queue = deque()
handlers = dict()
members = set()
by_kind = c.defaultdict(list)
state = {"last": None, "history": []}
hits = 0
connections = {}


async def worker(item):
    await asyncio.sleep(0)
    queue.append(item)
    handlers.update({item: True})
    handlers.setdefault(item, 1)
    members.add(item)
    members.discard(item)
    by_kind[item].append(item)
    state["history"].insert(0, item)
    state["last"] = item
    counts[item] += 1
    del handlers[item]


async def bump():
    global hits
    # Read and written in one step: no other coroutine runs in between.
    hits = hits + 1


async def connect(key, open_connection):
    # The await comes after the store: the first caller claims the slot
    # before it suspends, so a second caller finds it.
    if key not in connections:
        connection = open_connection(key)
        connections[key] = connection
        await connection.ready()
    return connections[key]


async def lookup(key):
    # A cache read by key: a registry, not per-call state.
    await asyncio.sleep(0)
    return handlers.get(key), connections[key]


async def main(items):
    await asyncio.gather(*[worker(i) for i in items])
    asyncio.create_task(bump())
    await asyncio.gather(lookup(1), lookup(2))
