"""Docstring stays first."""
from __future__ import annotations

import asyncio as aio
import time as t
from time import sleep as pause


async def handler():
    t.sleep(1)
    pause(2)
    await aio.sleep(0)
