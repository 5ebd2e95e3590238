"""Tasks created on loops the code holds in attributes and parameters."""

import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def setup_charger(hass, charger):
    # The task's ValueError never reaches this handler: it is raised in the
    # task, which nobody keeps or awaits.
    try:
        hass.loop.create_task(charger.set_failsafe(30))
    except ValueError:
        _LOGGER.warning("Could not set the failsafe mode")


class CommandTree:
    def __init__(self, client):
        self.client = client

    def dispatch(self, interaction):
        async def invoke():
            await self.run_command(interaction)

        self.client.loop.create_task(invoke())

    async def run_command(self, interaction):
        await asyncio.sleep(0)


class Poller:
    def __init__(self):
        self.event_loop = asyncio.get_running_loop()

    def poke(self, device):
        self.event_loop.create_task(device.refresh())


def schedule(loop: asyncio.AbstractEventLoop, device):
    loop.create_task(device.refresh())


def make_loop():
    return asyncio.new_event_loop()


def on_a_new_loop(device):
    loop = make_loop()
    loop.create_task(device.refresh())
