"""Tasks created on loops the code holds in attributes and parameters."""

import asyncio
import logging
from typing import Any

_LOGGER = logging.getLogger(__name__)


_background_tasks: set[asyncio.Future[Any]] = set()


def _keep_background_task(task: asyncio.Future[Any]) -> asyncio.Future[Any]:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: asyncio.Future[Any]) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        _LOGGER.error("Background task failed", exc_info=task.exception())


async def setup_charger(hass, charger):
    # The task's ValueError never reaches this handler: it is raised in the
    # task, which nobody keeps or awaits.
    try:
        _keep_background_task(hass.loop.create_task(charger.set_failsafe(30)))
    except ValueError:
        _LOGGER.warning("Could not set the failsafe mode")


class CommandTree:
    def __init__(self, client):
        self.client = client

    def dispatch(self, interaction):
        async def invoke():
            await self.run_command(interaction)

        _keep_background_task(self.client.loop.create_task(invoke()))

    async def run_command(self, interaction):
        await asyncio.sleep(0)


class Poller:
    def __init__(self):
        self.event_loop = asyncio.get_running_loop()

    def poke(self, device):
        _keep_background_task(self.event_loop.create_task(device.refresh()))


def schedule(loop: asyncio.AbstractEventLoop, device):
    _keep_background_task(loop.create_task(device.refresh()))


def make_loop():
    return asyncio.new_event_loop()


def on_a_new_loop(device):
    loop = make_loop()
    _keep_background_task(loop.create_task(device.refresh()))
