"""A module that logs through loguru: the failure goes to loguru, where the
project's sinks are, not to a stdlib logger nobody configured."""
import asyncio

from loguru import logger


async def push(queue, frame):
    logger.debug(f"pushing {frame}")
    await queue.put(frame)


def on_frame(loop, queue, frame):
    asyncio.run_coroutine_threadsafe(push(queue, frame), loop)


async def start(queue, frame):
    asyncio.create_task(push(queue, frame))
