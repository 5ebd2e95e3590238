import asyncio
import threading


async def job():
    await asyncio.sleep(0)


def worker(loop):
    """Runs in another thread; hands work to the event loop's thread."""
    asyncio.run_coroutine_threadsafe(job(), loop)


def start(loop):
    threading.Thread(target=worker, args=(loop,)).start()
