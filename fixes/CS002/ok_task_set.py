# fix-args: --unsafe-fixes --target-version py311
import asyncio

background_tasks = set()


async def work(n):
    await asyncio.sleep(n)


async def spawn(n):
    task = asyncio.create_task(work(n))
    background_tasks.add(task)
    task.add_done_callback(background_tasks.discard)


async def main():
    await asyncio.gather(spawn(1), spawn(2))
