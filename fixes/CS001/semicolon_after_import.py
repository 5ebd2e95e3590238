import asyncio; x = 1

async def main():
    asyncio.create_task(asyncio.sleep(1))
