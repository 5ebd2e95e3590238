"""A lookup told that the host is numeric (`AI_NUMERICHOST`) parses an
address and never asks a resolver; wrapping a descriptor that is already
open (`os.fdopen`) and handing the file back resolves no path and reads
nothing."""
import os
import socket
from socket import AI_NUMERICHOST, getaddrinfo

NUMERIC_ONLY = socket.AI_NUMERICHOST | socket.AI_NUMERICSERV


async def numeric_first(host, port):
    try:
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=NUMERIC_ONLY)
    except socket.gaierror:
        return None


async def numeric_positional(host, port):
    return getaddrinfo(host, port, 0, 0, 0, AI_NUMERICHOST)


def claim(fd):
    private = os.dup(fd)
    return os.fdopen(private, "rb", closefd=False), private


class Pipe:
    async def attach(self, fd):
        self.stream = os.fdopen(fd, "wb")
        return claim(0)
