# fix-args: --unsafe-fixes --target-version py311
import socket


class Nodes:
    def __init__(self):
        self.by_name = {}

    async def move(self, host, port):
        # Checks, then creates and stores a node in one step on the loop: a
        # thread hop between the check and the store would let a second
        # caller create a second node for the same address.
        address = socket.gethostbyname(host)
        node = self.by_name.get(address)
        if node is None:
            node = (address, port)
            self.by_name[address] = node
        return node
