import asyncio
import time
from typing import TYPE_CHECKING


def plain():
    time.sleep(1)


async def outer():
    def inner():
        time.sleep(1)

    callback = lambda: time.sleep(1)
    await asyncio.to_thread(inner)
    await asyncio.to_thread(callback)

    class Helper:
        def method(self):
            time.sleep(1)

    return Helper


async def shadowed(time):
    time.sleep(1)


async def noqa():
    import time as clock

    clock.sleep(1)  # noqa: CS003
    clock.sleep(2)  # codesight: ignore[CS003]
    clock.sleep(3)  # noqa


if TYPE_CHECKING:
    async def typing_only():
        time.sleep(1)
