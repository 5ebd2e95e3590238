# fix-args: --unsafe-fixes --target-version py311
"""A project whose isort settings say `shop` is first party."""

import asyncio
import os

import requests

from shop.config import settings
from shop.models import Order


async def refresh(order: Order):
    await asyncio.sleep(1)
    return await asyncio.to_thread(
        requests.get, os.path.join(settings.api, str(order.id)), timeout=5
    )
