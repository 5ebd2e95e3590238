# fix-args: --unsafe-fixes --target-version py311
"""Caches of connections filled after an `await`: two first callers both
connect, and the connection stored first is overwritten and never closed."""
import asyncio

_models = {}
_sessions = {}
TOKENS = {}
_client = None


class Connection:
    def __init__(self, name):
        self.name = name

    async def close(self):
        await asyncio.sleep(0)


async def connect(name):
    await asyncio.sleep(0.01)
    return Connection(name)


async def model(name):
    # Only this function uses the private cache: it can hold tasks.
    if name not in _models:
        _models[name] = await connect(name)
    print("connected", _models[name].name)
    return _models[name]


async def session(user):
    # `close_all` reads the values as connections: a lock instead.
    if user not in _sessions:
        _sessions[user] = await connect(user)
    return _sessions[user]


async def close_all():
    for value in _sessions.values():
        await value.close()


async def token(user):
    # Public: other modules may read the values. Checked through a local,
    # with an early return: the lock starts at the read.
    cached = TOKENS.get(user)
    if cached is not None:
        return cached
    fresh = await connect(user)
    TOKENS[user] = fresh
    return fresh


async def client():
    global _client
    if _client is None:
        _client = await connect("client")
    return _client


async def main():
    await asyncio.gather(model("a"), model("a"), session("u"), token("u"), client())
