"""A script that runs its coroutine from a statement at module level: the
coroutine (and what it calls) is alone on its loop."""
import time
from asyncio import run


async def measure(seconds):
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        time.sleep(0)
    return time.perf_counter() - start


async def main():
    for step in range(3):
        print(await measure(step / 100))


run(main())
