import asyncio

background = set()
module_task = None


async def job(n=0):
    return n


class Service:
    def __init__(self):
        self.tasks = []

    async def start(self):
        self.task = asyncio.create_task(job())
        self.tasks.append(asyncio.create_task(job()))


async def awaited():
    await asyncio.create_task(job())
    result = await asyncio.ensure_future(job())
    return result


async def returned():
    return asyncio.create_task(job())


async def yielded():
    yield asyncio.create_task(job())


async def passed_on():
    background.add(asyncio.create_task(job()))
    print(asyncio.create_task(job()))
    await asyncio.wait([asyncio.create_task(job())])


async def containers():
    tasks = [asyncio.create_task(job(n)) for n in range(3)]
    mapping = {"a": asyncio.create_task(job())}
    mapping["b"] = asyncio.create_task(job())
    pair = (asyncio.create_task(job()), 1)
    [asyncio.create_task(job(n)) for n in range(3)]
    await asyncio.gather(*tasks, *mapping.values(), pair[0])


async def name_read_later():
    task = asyncio.create_task(job())
    print("working")
    task.add_done_callback(print)


async def name_read_in_loop():
    previous = None
    for n in range(3):
        if previous is not None:
            await previous
        previous = asyncio.create_task(job(n))


async def name_read_by_closure():
    def check():
        return task.done()

    task = asyncio.create_task(job())
    return check


async def global_name():
    global module_task
    module_task = asyncio.create_task(job())


async def nonlocal_name():
    task = None

    async def start():
        nonlocal task
        task = asyncio.create_task(job())

    await start()
    await task


async def walrus():
    if (task := asyncio.create_task(job())) is not None:
        await task


# A module-level name keeps the task alive (and other modules may use it).
loop = asyncio.new_event_loop()
startup = loop.create_task(job())
