import asyncio


async def job(n=0):
    await asyncio.sleep(0)
    return n


async def replaced_in_both_branches(flag):
    task = asyncio.create_task(job(1))
    if flag:
        task = asyncio.create_task(job(2))
    else:
        task = asyncio.create_task(job(3))
    await task


async def replaced_in_the_same_branch(flag):
    if flag:
        task = asyncio.create_task(job(4))
        task = asyncio.create_task(job(5))
        await task


async def replaced_before_the_block(flag):
    task = asyncio.create_task(job(6))
    task = None
    if flag:
        print(task)


async def replaced_in_try_and_handler():
    task = asyncio.create_task(job(7))
    try:
        task = asyncio.create_task(job(8))
    except RuntimeError:
        task = None
    return task
