"""Tests on the expected type that do look at the other results."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class KeySent:
    def __init__(self, devices):
        self.devices = devices


async def send_key(device):
    await asyncio.sleep(0)
    return KeySent([device])


async def share_key(devices):
    delivered = set()
    replies = await asyncio.gather(*(send_key(d) for d in devices), return_exceptions=True)
    for reply in replies:
        if isinstance(reply, KeySent):
            delivered.update(reply.devices)
        else:
            # The other branch sees the failures.
            _LOGGER.warning("Could not send the key: %s", reply, exc_info=reply)
    return delivered


async def share_key_checked_first(devices):
    replies = await asyncio.gather(*(send_key(d) for d in devices), return_exceptions=True)
    for reply in replies:
        if not isinstance(reply, KeySent):
            # The failures are what this branch is about.
            raise RuntimeError("key not sent") from reply
        print(reply.devices)
