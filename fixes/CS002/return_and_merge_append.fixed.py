# fix-args: --unsafe-fixes
import asyncio as aio
import typing


async def probe(host) -> typing.Any:
    ok = await aio.sleep(0.1, result=host)
    return (host, ok)


async def probe_all(hosts):
    seen = await aio.gather(*(probe(h) for h in hosts))
    return len(seen), sorted(seen)


async def probe_pair(a, b):
    seen = await aio.gather(probe(a), probe(b))
    print(seen)
