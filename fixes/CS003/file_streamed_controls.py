# Controls: the whole file is read or written at once, or handed to
# something that does, so the file work still blocks.
import json
import shutil


async def save(response, path):
    data = await response.read()
    with open(path, "wb") as fd:
        fd.write(data)


async def save_chunks(chunks, path):
    # The loop does not await: all the writes run back to back.
    with open(path, "wb") as fd:
        for chunk in chunks:
            fd.write(chunk)


async def copy(response, source, target):
    with open(target, "wb") as out:
        async for chunk in response.content.iter_chunked(1024):
            out.write(chunk)
        with open(source, "rb") as extra:
            shutil.copyfileobj(extra, out)


async def dump(queue, path):
    with open(path, "w") as fd:
        json.dump(await queue.get(), fd)


async def watch(paths, interval):
    # Each file is opened and read whole inside the loop that awaits: that
    # loop does not stream one file, it reads them all every time.
    import asyncio
    import hashlib

    while True:
        hasher = hashlib.sha256()
        for path in paths:
            with open(path, "rb") as f:
                hasher.update(f.read())
        await asyncio.sleep(interval)
