import asyncio
import unittest


class PoolTestCase(unittest.TestCase):
    # asyncpg's shape: `terminate()` cancels each pool's maintenance task;
    # the gather only waits for them to end (their results are the expected
    # `CancelledError`s).
    def tearDown(self):
        maintenance_tasks = []
        for pool in self._pools:
            pool.terminate()
            if pool._maintenance_task is not None:
                maintenance_tasks.append(pool._maintenance_task)
        if maintenance_tasks:
            self.loop.run_until_complete(asyncio.gather(
                *maintenance_tasks, return_exceptions=True))
        self._pools = []
        super().tearDown()


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncTearDown(self):
        self.server.close()
        done = await asyncio.gather(*self.server.handlers, return_exceptions=True)


class Connections:
    async def __aexit__(self, *exc_info):
        for connection in self.connections:
            connection.abort()
        await asyncio.gather(
            *(c.wait_closed() for c in self.connections), return_exceptions=True
        )
