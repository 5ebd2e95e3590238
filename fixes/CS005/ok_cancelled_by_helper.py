"""The gathered tasks were cancelled by a helper of this module that returns
the list it cancelled: the gather only absorbs their `CancelledError`s."""

import asyncio


def _cancel_losers(winners, tasks_by_host):
    to_clean = []
    for host in winners:
        for task in tasks_by_host.pop(host, ()):
            task.cancel()
            to_clean.append(task)
    return to_clean


def _cancel_all(tasks):
    for task in tasks:
        task.cancel()
    return tasks


async def resolve(tasks_by_host, pending):
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        winners = {task.host for task in done}
        to_clean = _cancel_losers(winners, tasks_by_host)
        if to_clean:
            await asyncio.gather(*to_clean, return_exceptions=True)


async def abandon(tasks):
    stopped = _cancel_all(tasks)
    await asyncio.gather(*stopped, return_exceptions=True)
