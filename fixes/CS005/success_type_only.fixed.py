"""A loop that acts only on the successful replies: a failed send is
skipped without a trace, and the key is marked as shared all the same."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class KeySent:
    def __init__(self, devices):
        self.devices = devices


async def send_key(device):
    await asyncio.sleep(0)
    return KeySent([device])


async def share_key(session, devices):
    delivered = set()
    replies = await asyncio.gather(*(send_key(d) for d in devices), return_exceptions=True)
    for outcome in replies:
        if isinstance(outcome, Exception):
            _LOGGER.error("Awaitable failed in share_key", exc_info=outcome)
    for reply in replies:
        if isinstance(reply, KeySent):
            delivered.update(reply.devices)
    session.shared = True
    return delivered
