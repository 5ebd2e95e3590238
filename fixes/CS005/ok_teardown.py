import asyncio


class Connections:
    async def close(self):
        await asyncio.gather(*(c.aclose() for c in self._clients), return_exceptions=True)
        self._clients.clear()

    async def aclose(self):
        outcomes = await asyncio.gather(*(c.aclose() for c in self._clients), return_exceptions=True)
        del outcomes

    async def disconnect_idle(self):
        await asyncio.gather(*(c.disconnect() for c in self._idle), return_exceptions=True)

    async def async_shutdown(self):
        await asyncio.gather(*(c.flush() for c in self._clients), return_exceptions=True)

    async def stopWorkers(self):
        await asyncio.gather(*(w.stop() for w in self._workers), return_exceptions=True)

    async def _stop_watchdog(self):
        # The list is built and cancelled in one loop.
        stopping = []
        if self._watchdog is not None:
            stopping.append(self._watchdog)
            self._watchdog.cancel()
        for task in self._helpers:
            stopping.append(task)
            task.cancel()
        await asyncio.gather(*stopping, return_exceptions=True)


async def restart(workers):
    # Not a teardown name, but the cancel-then-gather idiom: each task is
    # cancelled as it is added, and the gather only waits for them.
    pending = []
    for worker in workers:
        worker.cancel()
        pending.append(worker)
    await asyncio.gather(*pending, return_exceptions=True)
    return [start() for _ in workers]


def start():
    return None


async def serve(server, handlers):
    try:
        await server.serve_forever()
    finally:
        await asyncio.gather(*(h.drain() for h in handlers), return_exceptions=True)


class Session:
    async def __aexit__(self, *exc_info):
        await asyncio.gather(*self._pending, return_exceptions=True)


async def drain(queue_tasks):
    # A copy of the collection is gathered after the collection's tasks
    # were cancelled.
    snapshot = list(queue_tasks)
    for task in queue_tasks:
        task.cancel()
    await asyncio.gather(*snapshot, return_exceptions=True)
    return len(snapshot)
