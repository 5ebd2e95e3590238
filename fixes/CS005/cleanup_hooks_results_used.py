# fix-args: --unsafe-fixes
import asyncio
import unittest


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    # In a tear-down, results that are used (not just awaited) are still
    # checked for.
    async def asyncTearDown(self):
        results = await asyncio.gather(*self.server.handlers, return_exceptions=True)
        self.assertEqual(len(results), 2)


class Connections:
    async def __aexit__(self, *exc_info):
        results = await asyncio.gather(*self.closers, return_exceptions=True)
        self.closed = [r for r in results if r is not None]


async def tear_down(workers):
    # Not a hook: an ordinary function discarding the results is reported.
    await asyncio.gather(*workers, return_exceptions=True)
