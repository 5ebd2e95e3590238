import asyncio
import logging as log

logger = log.getLogger(__name__)


async def main():
    asyncio.ensure_future(asyncio.sleep(1))
