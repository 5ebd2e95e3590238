"""Looking up the local host or an address literal is answered from the
hosts file or parsed on the spot: no network round trip to wait for."""
import socket


async def node_address(host, port):
    if host == "localhost":
        host = socket.gethostbyname(host)
    return f"{host}:{port}"


async def loopback():
    return socket.getaddrinfo("127.0.0.1", 80)
