"""A Home Assistant integration: tasks go through Home Assistant itself."""

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

_LOGGER = logging.getLogger(__name__)


async def async_setup(hass: HomeAssistant, config) -> bool:
    client = config["client"]
    hass.loop.create_task(client.keepalive())
    hass.loop.create_task(client.update(), name="alarm panel update")
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    hub = entry.runtime_data
    hass.loop.create_task(hub.run())
    return True


class Speaker:
    def __init__(self, hass: HomeAssistant, device):
        self.hass = hass
        self._device = device

    async def async_added_to_hass(self):
        self.hass.loop.create_task(self._device.listen_notifications())
