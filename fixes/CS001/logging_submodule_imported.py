"""`import logging.config` binds `logging`: the fix logs through it."""
import asyncio
import logging.config


def configure(settings):
    logging.config.dictConfig(settings)


async def serve(handler):
    loop = asyncio.get_running_loop()
    loop.create_task(handler())
