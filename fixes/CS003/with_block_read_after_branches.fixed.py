# fix-args: --unsafe-fixes
# The name the moved block binds is read only after the enclosing `if`/`else`:
# the thread hands it back.


import asyncio

async def fetch(url, download):
    if url.startswith("file://"):

        def _sync_work():
            with open(url[7:]) as f:
                html = f.read()
            return html

        html = await asyncio.to_thread(_sync_work)
    else:
        html = await download(url)
    return html


async def load_all(paths):
    # Read in the next iteration: the thread hands it back each time.
    last = ""
    for path in paths:
        print(len(last))

        def _sync_work():
            with open(path) as f:
                last = f.read()
            return last

        last = await asyncio.to_thread(_sync_work)


async def count(path, total):
    # Read before it is bound in the block: the coroutine's variable.
    def _sync_work() -> None:
        nonlocal total
        with open(path) as f:
            total += len(f.read())

    await asyncio.to_thread(_sync_work)
    return total


async def maybe(path, flag):
    # Bound only on some paths through the block and read after it: no fix.
    with open(path) as f:
        if flag:
            data = f.read()
    if flag:
        return data
    return None


async def control(path):
    def _sync_work():
        with open(path) as f:
            data = f.read()
        return data

    data = await asyncio.to_thread(_sync_work)
    return data
