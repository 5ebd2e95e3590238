# fix-args: --unsafe-fixes --target-version py311
"""A project whose isort settings say `shop` is first party."""

import os
from time import sleep as pause

import requests

from shop.config import settings
from shop.models import Order


async def refresh(order: Order):
    pause(1)
    return requests.get(os.path.join(settings.api, str(order.id)), timeout=5)
