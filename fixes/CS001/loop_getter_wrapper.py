"""The loop comes from the project's own wrapper of `asyncio.get_running_loop`,
defined in another module: named like asyncio's getter, it returns a loop."""

import logging

from . import helpers
from .utils import get_event_loop

_LOGGER = logging.getLogger(__name__)


class Sender:
    def __init__(self, callback):
        self._callback = callback

    def _reconnected(self):
        if self._callback:
            helpers.get_running_loop().create_task(self._callback())

    def _resend(self, request):
        loop = get_event_loop()
        loop.create_task(self._send(request))

    async def _send(self, request):
        _LOGGER.debug("sending %s", request)
        await request.wait()
