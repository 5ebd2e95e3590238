# fix-args: --unsafe-fixes
# The name the moved block binds is read only after the enclosing `if`/`else`:
# the thread hands it back.


async def fetch(url, download):
    if url.startswith("file://"):
        with open(url[7:]) as f:
            html = f.read()
    else:
        html = await download(url)
    return html


async def load_all(paths):
    # Read in the next iteration: the thread hands it back each time.
    last = ""
    for path in paths:
        print(len(last))
        with open(path) as f:
            last = f.read()


async def count(path, total):
    # Read before it is bound in the block: the coroutine's variable.
    with open(path) as f:
        total += len(f.read())
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
    with open(path) as f:
        data = f.read()
    return data
