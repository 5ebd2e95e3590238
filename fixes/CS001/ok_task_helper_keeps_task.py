"""Helpers that keep the task they return, or whose task is kept."""

import asyncio

_tasks = set()


def spawn(coro):
    task = asyncio.create_task(coro)
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)
    return task


def spawn_listed(coro, tasks):
    task = asyncio.create_task(coro)
    tasks.append(task)
    return task


def make(coro):
    # Not a task: a coroutine function's result is a coroutine.
    return coro


async def spawn_later(coro):
    return asyncio.create_task(coro)


async def refresh(item):
    await asyncio.sleep(0)
    print(item)


async def handle(item, tasks):
    spawn(refresh(item))
    spawn_listed(refresh(item), tasks)
    kept = spawn(refresh(item))
    await kept
    make(refresh(item))
