# fix-args: --unsafe-fixes
import asyncio as aio

seen = []


async def probe(host) -> None:
    ok = await aio.sleep(0.1, result=host)
    seen.append((host, ok))


async def probe_all(hosts):
    await aio.gather(*(probe(h) for h in hosts))
    return len(seen), sorted(seen)


async def probe_pair(a, b):
    await aio.gather(probe(a), probe(b))
    print(seen)
