# fix-args: --unsafe-fixes --target-version py311
"""Memos filled after an `await` with values that own nothing: two first
callers both build, the last store wins, and the loser is garbage. That is
duplicate work, not a bug, and it is not reported. A value the code does not
show (a factory passed in, a call into another module) counts as such a memo."""
import asyncio
from dataclasses import dataclass

from storage import resolve_block

_settings = {}
_profiles = {}
_storages = {}
POOLS: dict = {}
_config = None


@dataclass
class Profile:
    name: str


async def fetch(key):
    await asyncio.sleep(0)
    return {"key": key}


async def settings(key):
    if key not in _settings:
        _settings[key] = await fetch(key)
    return _settings[key]


async def profile(name):
    # A model of this module without anything to close.
    if _profiles.get(name) is None:
        await asyncio.sleep(0)
        _profiles[name] = Profile(name)
    return _profiles[name]


async def storage(key, block_id, base):
    # Built by another module's function or a plain value: not shown to own
    # anything.
    if key in _storages:
        return _storages[key]
    if block_id is not None:
        value = await resolve_block(block_id)
    else:
        value = base
    _storages[key] = value
    return value


async def deployment(key, get_client):
    # The client is closed by `async with`; the cached value is plain data.
    if _settings.get(key):
        return _settings[key]
    async with get_client() as client:
        _settings[key] = await client.read(key)
        return _settings[key]


class Database:
    async def pool(self, dsn, create, hook):
        # `create` is whatever the caller passes: not known to own anything.
        if dsn not in POOLS:
            options = await hook()
            POOLS[dsn] = create(options)
        return POOLS[dsn]


async def config():
    global _config
    if _config is None:
        _config = await fetch("config")
    return _config


async def main(db, create, hook, get_client):
    await asyncio.gather(settings("a"), settings("a"), profile("p"), profile("p"))
    await asyncio.gather(storage("k", 1, "."), deployment("d", get_client), config())
    await asyncio.gather(db.pool("x", create, hook), db.pool("x", create, hook))
