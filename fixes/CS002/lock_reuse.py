# fix-args: --unsafe-fixes --target-version py311
from asyncio import Lock, gather, sleep

hits = 0
hits_lock = Lock()


async def hit():
    # `hits_lock` exists already: it is reused, nothing is created or imported.
    global hits
    before = hits
    await sleep(0)
    hits = before + 1


async def main():
    await gather(hit(), hit())
