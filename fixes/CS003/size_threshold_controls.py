# fix-args: --unsafe-fixes --target-version py312
"""Controls: a threshold whose other branch offloads something else, and a
test that is not a size, still block."""
import asyncio


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def compress(data):
    return data


async def other_function(path, data):
    if len(data) < 10_000:
        write(path, data)
    else:
        await asyncio.to_thread(compress, data)


async def not_a_size(path, data, cached):
    if cached is None:
        write(path, data)
    else:
        await asyncio.to_thread(write, path, data)
