# fix-args: --unsafe-fixes --target-version py312
"""Controls: flags without `AI_NUMERICHOST` still resolve names, a flags
name bound twice is not a constant, and a wrapped descriptor written
here (the `mkstemp` then `fdopen` idiom) still blocks."""
import json
import os
import socket
import tempfile

CANONICAL = socket.AI_CANONNAME

flags = socket.AI_NUMERICHOST
flags = socket.AI_ADDRCONFIG


async def canonical(host, port):
    return socket.getaddrinfo(host, port, flags=CANONICAL)


async def rebound(host, port):
    return socket.getaddrinfo(host, port, flags=flags)


async def save(directory, data):
    fd, path = tempfile.mkstemp(dir=directory)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f)
    return path
