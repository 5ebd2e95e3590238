import asyncio

logging = "not the logging module"
_background_tasks = []


def _keep_background_task():
    pass


async def main():
    asyncio.create_task(asyncio.sleep(1))
