"""A script that starts a task right after its imports."""
import asyncio
asyncio.create_task(asyncio.sleep(0))
