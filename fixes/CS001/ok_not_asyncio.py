import asyncio
import trio


class Scheduler:
    def create_task(self, coro):
        return coro

    def run(self, coro):
        self.create_task(coro)


def create_task(coro):
    return coro


async def job():
    await asyncio.sleep(0)


async def main(loop, nursery, scheduler: Scheduler):
    create_task(job())
    loop.create_task(job())
    nursery.start_soon(job)
    scheduler.create_task(job())
    Scheduler().create_task(job())
    other_loop = trio.lowlevel.current_trio_token()
    other_loop.create_task(job())
    asyncio.get_running_loop().call_soon(print)


async def shadowed():
    asyncio = Scheduler()
    asyncio.create_task(job())

