# fix-args: --unsafe-fixes --target-version py312
"""Controls: flags without `AI_NUMERICHOST` still resolve names, a flags
name bound twice is not a constant, and a wrapped descriptor written
here (the `mkstemp` then `fdopen` idiom) still blocks."""
import asyncio
import json
import os
import socket
import tempfile

CANONICAL = socket.AI_CANONNAME

flags = socket.AI_NUMERICHOST
flags = socket.AI_ADDRCONFIG


async def canonical(host, port):
    return await asyncio.to_thread(socket.getaddrinfo, host, port, flags=CANONICAL)


async def rebound(host, port):
    return await asyncio.to_thread(socket.getaddrinfo, host, port, flags=flags)


async def save(directory, data):
    fd, path = tempfile.mkstemp(dir=directory)

    def _sync_work() -> None:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f)

    await asyncio.to_thread(_sync_work)
    return path
