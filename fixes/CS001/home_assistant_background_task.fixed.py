"""A Home Assistant integration: tasks go through Home Assistant itself."""

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

_LOGGER = logging.getLogger(__name__)


async def async_setup(hass: HomeAssistant, config) -> bool:
    client = config["client"]
    hass.async_create_background_task(client.keepalive(), "keepalive")
    hass.async_create_background_task(client.update(), "alarm panel update")
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    hub = entry.runtime_data
    entry.async_create_background_task(hass, hub.run(), "run")
    return True


class Speaker:
    def __init__(self, hass: HomeAssistant, device):
        self.hass = hass
        self._device = device

    async def async_added_to_hass(self):
        self.hass.async_create_background_task(
            self._device.listen_notifications(), "listen_notifications"
        )
