"""Only a function-level import."""


async def main():
    import asyncio

    asyncio.create_task(asyncio.sleep(1))
