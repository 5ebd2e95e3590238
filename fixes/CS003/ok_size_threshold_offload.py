"""A size threshold: small payloads are written on the loop on purpose,
large ones go to a thread with the same function."""
import asyncio


async def upload(path, data):
    def write(data):
        with open(path, "wb") as f:
            f.write(data)
        return len(data)

    if len(data) < 10_000:
        written = write(data)
    else:
        written = await asyncio.to_thread(write, data)
    return written
