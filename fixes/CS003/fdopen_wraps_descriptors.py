# fix-args: --unsafe-fixes --target-version py312
# `os.fdopen` wraps a descriptor already open: it resolves no path and reads
# nothing. A file handed on (to a reader object, to `connect_read_pipe`) is
# worked where it goes; one read or written here is reported where that
# work is, at the `with` block that holds it or at each call on it.
import asyncio
import os
import socket


class FileReader:
    def __init__(self, file):
        self.file = file


async def redirect(source, loop, protocol_factory):
    if isinstance(source, int):
        file = os.fdopen(source, "rb", buffering=0)
    elif isinstance(source, socket.socket):
        file = os.fdopen(source.detach(), "rb", buffering=0)
    else:
        file = source
    if os.path.isfile(getattr(file, "name", "")):
        return FileReader(file)
    return await loop.connect_read_pipe(protocol_factory, file)


async def save(fd, data):
    with os.fdopen(fd, "w") as f:
        f.write(data)


async def append(fd, data):
    f = os.fdopen(fd, "a")
    f.write(data)
    await asyncio.sleep(0)
