import asyncio
from asyncio import TaskGroup


async def job(n):
    return n


async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(job(1))
        for n in range(3):
            tg.create_task(job(n))
    async with TaskGroup() as group, asyncio.timeout(5):
        group.create_task(job(2))
