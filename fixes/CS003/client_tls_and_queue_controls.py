# Controls: a client's TLS context (built on every connect) and a queue
# read without a non-empty guard still block.
import queue
import ssl


async def connect(host, cafile, certfile, keyfile):
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=cafile)
    context.load_cert_chain(certfile, keyfile)
    return host, context


async def client_context(cafile):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cafile)
    return context


async def drain(jobs: queue.Queue, other: queue.Queue):
    if not other.empty():
        # The guard is on another queue.
        return jobs.get()
    while True:
        item = jobs.get()
        if item is None:
            break
    return None
