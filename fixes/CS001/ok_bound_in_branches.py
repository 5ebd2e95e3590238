import asyncio
import sys


async def job(n=0):
    return n


class Writer:
    # aiohttp's shape: the task is bound in one of several branches and read
    # after them, whichever branch ran.
    async def send(self, coro):
        if sys.version_info >= (3, 14):
            loop = asyncio.get_running_loop()
            if isinstance(loop, asyncio.BaseEventLoop):
                task = asyncio.create_task(coro, eager_start=True)
            else:
                task = asyncio.Task(coro, loop=loop, eager_start=True)
        elif sys.version_info >= (3, 12):
            task = asyncio.Task(coro, loop=asyncio.get_running_loop(), eager_start=True)
        else:
            task = asyncio.create_task(coro)
        if not task.done():
            self._task = task


async def try_except(tasks):
    try:
        task = asyncio.create_task(job(1))
    except RuntimeError:
        task = None
    tasks.append(task)


async def rebound_maybe(flag):
    task = asyncio.create_task(job(2))
    if flag:
        task = asyncio.create_task(job(3))
    await task


async def rebound_in_a_loop_that_may_not_run(items):
    task = asyncio.create_task(job(4))
    for task in items:
        pass
    await task


async def matched(kind):
    match kind:
        case "now":
            task = asyncio.create_task(job(5))
        case _:
            task = None
    return task


async def rebound_in_a_nested_block(flag):
    task = asyncio.create_task(job(6))
    if flag:
        task = None
        print(task)
    await task
