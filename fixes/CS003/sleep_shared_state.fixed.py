import asyncio
import time

attempts = {}


async def retry_local(call):
    for delay in (0.1, 0.2):
        await asyncio.sleep(delay)
        result = call()
        if result:
            return result


async def retry_counting(key, call):
    time.sleep(0.1)
    attempts[key] = attempts.get(key, 0) + 1
    return call()


class Poller:
    async def poll(self):
        time.sleep(1)
        self.polls += 1
