# fix-args: --unsafe-fixes --target-version py311
import asyncio
import functools
import json
import time


def read_file(path):
    with open(path) as f:
        return f.read()


def load_config(path, *, strict=False):
    return json.loads(read_file(path))


def settings():
    return load_config("app.json", strict=True)


@functools.lru_cache(maxsize=None)
def cached_lookup(host):
    return ask_address(host)


def ask_address(host):
    return input(f"address of {host}? ")


def ping(n):
    if n:
        pong(n - 1)


def pong(n):
    if n:
        ping(n - 1)
    else:
        time.sleep(0.1)


async def main():
    config = await asyncio.to_thread(load_config, "app.json", strict=True)
    values = await asyncio.to_thread(settings)
    await asyncio.to_thread(ping, 3)
    address = cached_lookup("db")

    def nested():
        time.sleep(1)

    await asyncio.to_thread(nested)
    return config, values, address


def start_beside(loop, coro):
    # The module runs other work beside its prompts: a prompt stalls it.
    return loop.create_task(coro)
