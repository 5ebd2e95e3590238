import asyncio


async def shutdown(tasks):
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def shutdown_all():
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    [t.cancel() for t in pending]
    await asyncio.gather(*pending, return_exceptions=True)


async def stop_one(worker):
    worker.cancel()
    await asyncio.gather(worker, return_exceptions=True)


def stop_loop(loop):
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))


class Pool:
    async def close(self):
        if self._maintenance_task is not None:
            self._maintenance_task.cancel()
            await asyncio.gather(self._maintenance_task, return_exceptions=True)


async def serve(listener, connections):
    try:
        await listener
    finally:
        # Cleanup: raising here would replace the exception in flight.
        await asyncio.gather(*[c.wait_closed() for c in connections], return_exceptions=True)
