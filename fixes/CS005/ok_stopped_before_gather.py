"""Gathers that wait for work stopped just before: tasks an exception was
thrown into, a task whose cancel scope was cancelled, a gather future
cancelled before it is awaited, and functions whose role is cancelling
work that exists already. Their results are the stop itself."""

import asyncio
import contextlib

import anyio


class FutureStore:
    def __init__(self):
        self.futures = set()

    async def reject_all(self, exception):
        tasks = []
        while self.futures:
            future = self.futures.pop()
            if future.done():
                continue
            future.throw(exception or Exception)
            tasks.append(future)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


async def pull_events(stream, handler_task):
    iterator = aiter(stream)

    async def pull_next(scope):
        with scope:
            return await anext(iterator)
        raise StopAsyncIteration

    scope = anyio.CancelScope()
    next_task = None
    while True:
        next_task = asyncio.create_task(pull_next(scope))
        await asyncio.wait((next_task, handler_task), return_when=asyncio.FIRST_COMPLETED)
        if handler_task.done():
            scope.cancel()
            await asyncio.gather(next_task, return_exceptions=True)
            return
        yield next_task.result()


class SpeechHandle:
    def __init__(self, interrupt):
        self._interrupt_fut = interrupt

    async def wait_if_not_interrupted(self, futures):
        gather_fut = asyncio.gather(*[asyncio.shield(f) for f in futures], return_exceptions=True)
        _, pending = await asyncio.wait(
            {gather_fut, self._interrupt_fut}, return_when=asyncio.FIRST_COMPLETED
        )
        if gather_fut in pending:
            with contextlib.suppress(asyncio.CancelledError):
                gather_fut.cancel()
                await gather_fut


class Runner:
    def __init__(self, bus):
        self._bus = bus
        self._entries = {}
        self._running = {}

    async def _cancel_spawned_workers(self):
        running = [entry for entry in self._entries.values() if entry.task]
        for entry in running:
            await self._bus.send(("cancel", entry.name))
        await asyncio.gather(*(entry.task for entry in running), return_exceptions=True)

    async def cancel_all(self, cancellable_only=False):
        if cancellable_only:
            to_wait = [t.task for t in self._running.values() if not t.cancellable]
        else:
            to_wait = []
        if to_wait:
            await asyncio.gather(*to_wait, return_exceptions=True)

    async def cancel_running(self):
        for entry in self._running.values():
            await self._bus.send(("cancel", entry.name))
        await asyncio.gather(*self._running.values(), return_exceptions=True)
