import time


async def poll(interval):
    time.sleep(interval)
    value = time.sleep(0) or 1
    return value
