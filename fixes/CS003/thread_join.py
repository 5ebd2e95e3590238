# fix-args: --unsafe-fixes
import asyncio
import threading


async def render_with_deadline(render, seconds):
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    worker = threading.Thread(target=lambda: (render(), loop.call_soon_threadsafe(done.set)))
    worker.start()
    try:
        async with asyncio.timeout(seconds):
            await done.wait()
    except TimeoutError:
        return False
    finally:
        worker.join()
    return True


async def reap(worker: threading.Thread):
    if not worker.is_alive():
        worker.join(timeout=0)
