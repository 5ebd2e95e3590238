# fix-args: --unsafe-fixes --target-version py311
import asyncio

results = {}
counter = 0


def record(key, value):
    # A plain function: never suspended in the middle.
    results[key] = value


async def setup():
    # Awaited once, never run concurrently.
    global counter
    counter += await asyncio.sleep(0, result=1)
    results["ready"] = True


async def worker(n):
    def on_done(value):
        # Runs wherever it is called, not as part of the coroutine.
        results[n] = value

    await asyncio.to_thread(on_done, n)


async def main():
    await setup()
    await asyncio.gather(worker(1), worker(2))


asyncio.run(main())
