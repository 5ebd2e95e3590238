# fix-args: --unsafe-fixes --target-version py311
import asyncio

_models = {}
_sessions = {}
TOKENS = {}
_client = None


async def load(name):
    await asyncio.sleep(0.01)
    return {"name": name}


async def model(name):
    # Only this function uses the private cache: it can hold tasks.
    if name not in _models:
        _models[name] = await load(name)
    print("loaded", _models[name])
    return _models[name]


async def session(user):
    # `close_all` reads the values as sessions: a lock instead.
    if user not in _sessions:
        _sessions[user] = await load(user)
    return _sessions[user]


async def close_all():
    for value in _sessions.values():
        value.clear()


async def token(user):
    # Public: other modules may read the values. Checked through a local,
    # with an early return: the lock starts at the read.
    cached = TOKENS.get(user)
    if cached is not None:
        return cached
    fresh = await load(user)
    TOKENS[user] = fresh
    return fresh


async def client():
    global _client
    if _client is None:
        _client = await load("client")
    return _client


async def main():
    await asyncio.gather(model("a"), model("a"), session("u"), token("u"), client())
