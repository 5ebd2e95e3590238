# A file read or written chunk by chunk in a loop that awaits the network
# between chunks: the opening is a metadata operation, and each chunk is a
# small buffered write (or read) between two network waits.
import io

import aiohttp


async def download(session: aiohttp.ClientSession, url, path):
    async with session.get(url) as response:
        with open(path, "wb") as fd:
            async for chunk in response.content.iter_chunked(65536):
                fd.write(chunk)


async def download_to(client, location, file=None):
    if file is None:
        f = io.BytesIO()
    else:
        f = open(file, "wb")
    try:
        async for chunk in client.iter_download(location):
            f.write(chunk)
            await client.report(f.tell())
        if callable(getattr(f, "flush", None)):
            f.flush()
    finally:
        if f is not file:
            f.close()


async def upload(ws, path):
    with open(path, "rb") as source:
        while True:
            chunk = source.read(65536)
            if not chunk:
                break
            await ws.send_bytes(chunk)
