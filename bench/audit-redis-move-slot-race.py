"""Audit repro (bench/audit.md, problem 1): the CS003 to_thread fix at
redis/asyncio/cluster.py:2127 puts an await inside NodesManager.move_slot.

Usage: python3.13 bench/audit-redis-move-slot-race.py DIR
where DIR holds a `redis` package: target/corpus-b/redis (before the fix) or a
copy with `codesight fix --unsafe-fixes` applied (after). Before: both slots
end on the node kept in nodes_cache. After: one slot is owned by a second
ClusterNode that nodes_cache does not hold (its pool is never disconnected).
"""
import asyncio, sys, time
sys.path.insert(0, sys.argv[1])
import redis.asyncio.cluster as rc
from redis.asyncio.cluster import NodesManager, ClusterNode
from redis.exceptions import MovedError

async def busy_loop_work():
    # other coroutines keep the loop busy for a few ms (a MOVED storm has many)
    for _ in range(20):
        time.sleep(0.001)
        await asyncio.sleep(0)

async def main():
    old = ClusterNode("10.0.0.1", 7000, "primary")
    nm = NodesManager([old], require_full_coverage=False, connection_kwargs={})
    nm.set_nodes(nm.nodes_cache, {old.name: old})
    for s in (1, 2):
        nm.slots_cache[s] = [old]
    await asyncio.gather(nm.move_slot(MovedError("1 10.0.0.2:7000")),
                         nm.move_slot(MovedError("2 10.0.0.2:7000")),
                         busy_loop_work())
    a, b = nm.slots_cache[1][0], nm.slots_cache[2][0]
    cached = nm.nodes_cache[a.name]
    print(sys.argv[1] + ":", "same node for both slots:", a is b,
          "| slot owners missing from nodes_cache:", sum(n is not cached for n in (a, b)))
asyncio.run(main())
