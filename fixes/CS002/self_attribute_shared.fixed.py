# fix-args: --unsafe-fixes --target-version py311
"""`self.attr` is shared state only where the module runs one instance's
methods concurrently; no fix is offered for it (a module-level lock would
serialise every instance)."""
import asyncio

import aiohttp


class Client:
    def __init__(self):
        self._tokens = {}
        self.sent = 0
        self._session = None
        self._lock = asyncio.Lock()

    async def token(self, user):
        # A memo of plain data: racing first calls only log in twice.
        if user not in self._tokens:
            self._tokens[user] = await self.login(user)
        return self._tokens[user]

    async def login(self, user):
        await asyncio.sleep(0)
        return user

    async def send(self, message):
        count = self.sent
        await self.token(message)
        self.sent = count + 1

    async def session(self):
        # A session per first caller: the overwritten one is never closed.
        if self._session is None:
            await self.login("s")
            self._session = aiohttp.ClientSession()
        return self._session

    async def locked(self, user):
        async with self._lock:
            if self._session is None:
                await self.login(user)
                self._session = aiohttp.ClientSession()


class Worker:
    async def run(self, job):
        # A new worker per job: not shared.
        if self.state is None:
            self.state = await job()


async def main(client, messages, jobs):
    await asyncio.gather(*[client.send(m) for m in messages])
    await asyncio.gather(client.session(), client.session(), client.locked("a"))
    for job in jobs:
        worker = Worker()
        asyncio.create_task(worker.run(job))
