# fix-args: --unsafe-fixes
import asyncio
import unittest


class ServerTestCase(unittest.IsolatedAsyncioTestCase):
    # A tear-down that only counts the results waits on a best-effort basis:
    # not reported.
    async def asyncTearDown(self):
        results = await asyncio.gather(*self.server.handlers, return_exceptions=True)
        self.assertEqual(len(results), 2)


class Connections:
    # In a tear-down, results that flow on as values are reported; the fix
    # logs the failures and never raises there.
    async def __aexit__(self, *exc_info):
        results = await asyncio.gather(*self.closers, return_exceptions=True)
        self.closed = [r for r in results if r is not None]


async def tear_down(workers):
    # A tear-down by its name: not reported either.
    await asyncio.gather(*workers, return_exceptions=True)


async def rebuild(workers):
    # Not a tear-down: an ordinary function discarding the results is
    # reported, and the failures are logged.
    await asyncio.gather(*workers, return_exceptions=True)
