import asyncio


async def main():
    await asyncio.sleep(0)


loop = asyncio.new_event_loop()
loop.create_task(main())
task = loop.create_task(main())
loop.run_until_complete(asyncio.sleep(0))
