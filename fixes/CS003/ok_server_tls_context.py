# A server builds its TLS context once, when it starts listening, and
# reuses it for every connection it accepts: loading its certificate then
# stalls nothing.
import asyncio
import ssl
from ssl import Purpose


async def start_server(handler, certfile, keyfile, cafile=None):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH, cafile=cafile)
    context.load_cert_chain(certfile, keyfile)
    return await asyncio.start_server(handler, port=8443, ssl=context)


class Listener:
    def __init__(self, certfile, keyfile):
        self.certfile = certfile
        self.keyfile = keyfile

    @staticmethod
    def _server_context(certfile, keyfile):
        context = ssl.create_default_context(purpose=Purpose.CLIENT_AUTH, capath="/etc/ca")
        context.load_cert_chain(certfile, keyfile)
        return context

    async def start(self, handler):
        context = self._server_context(self.certfile, self.keyfile)
        return await asyncio.start_server(handler, port=8883, ssl=context)

    async def start_raw(self, handler):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certfile, self.keyfile)
        context.load_verify_locations(cafile="/etc/ca.pem")
        return await asyncio.start_server(handler, port=9443, ssl=context)
