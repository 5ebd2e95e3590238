from time import sleep


async def run_all(fns):
    # `sleep` here is the comprehension's loop variable, not time.sleep.
    return [sleep(1) for sleep in fns]


async def run_gen(fns):
    return list(sleep(2) for sleep in fns)
