"""Look-alikes of work stopped before a gather that are reported: a task
given a cancel scope it never enters, a scope cancelled before the task is
made, a gather future cancelled only on one branch, and a function whose
name says it cancels but whose gather starts new requests (a failed
cancellation of an order is lost)."""

import asyncio
import logging

import anyio

_LOGGER = logging.getLogger(__name__)


async def pull_once(iterator, scope):
    return await anext(iterator)


async def not_entered(iterator):
    scope = anyio.CancelScope()
    task = asyncio.create_task(pull_once(iterator, scope))
    scope.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def enter(iterator, scope):
    with scope:
        return await anext(iterator)


async def cancelled_first(iterator):
    scope = anyio.CancelScope()
    scope.cancel()
    task = asyncio.create_task(enter(iterator, scope))
    await asyncio.gather(task, return_exceptions=True)


async def cancelled_on_one_branch(futures, stop):
    gather_fut = asyncio.gather(*futures, return_exceptions=True)
    if stop:
        gather_fut.cancel()
    await gather_fut


class Exchange:
    def __init__(self, api):
        self.api = api

    async def cancel_orders(self, order_ids):
        await asyncio.gather(*(self.api.cancel(i) for i in order_ids), return_exceptions=True)
