# fix-args: --unsafe-fixes
import asyncio
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


async def settle(TYPE_CHECKING, hook: "Callable[[], None]"):
    # A parameter spelled `TYPE_CHECKING` is an ordinary flag: this branch
    # runs, and blocks.
    if TYPE_CHECKING:
        await asyncio.sleep(0.5)
    hook()


async def typed_only():
    if TYPE_CHECKING:
        # Never runs: the name is typing's constant.
        time.sleep(0.5)
