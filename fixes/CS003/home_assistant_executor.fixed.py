# fix-args: --unsafe-fixes
"""A Home Assistant integration runs blocking work in Home Assistant's own
executor, with the `hass` object at hand."""

import asyncio
from functools import partial
from pathlib import Path
import ssl

from homeassistant.core import HomeAssistant, ServiceCall


async def async_load_certificate(hass: HomeAssistant, cafile: str) -> ssl.SSLContext:
    # A `hass` parameter; keyword arguments go through `partial`.
    return await hass.async_add_executor_job(
        partial(ssl.create_default_context, cafile=cafile)
    )


async def async_export(service: ServiceCall) -> None:
    # The function reads `service.hass` already.
    folder = Path(service.hass.config.config_dir)
    target = folder / "export.json"

    await service.hass.async_add_executor_job(
        target.write_text, service.data["payload"], "utf8"
    )


class Camera:
    def __init__(self, hass: HomeAssistant, path: str) -> None:
        self.hass = hass
        self._path = path

    async def async_snapshot(self) -> bytes:
        # The class uses `self.hass`.
        return await self.hass.async_add_executor_job(Path(self._path).read_bytes)


async def async_read_token(hass: HomeAssistant, path: str) -> str:
    # A whole `with` block goes to Home Assistant's executor too.
    def _sync_work():
        with open(path) as f:
            token = f.read().strip()
        return token

    token = await hass.async_add_executor_job(_sync_work)
    return token


class Reader:
    def __init__(self, path: str) -> None:
        self._path = path

    async def async_read(self) -> str:
        # No Home Assistant instance in reach: `asyncio.to_thread`.
        return await asyncio.to_thread(Path(self._path).read_text)
