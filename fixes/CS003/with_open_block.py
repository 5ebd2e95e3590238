# fix-args: --unsafe-fixes
import json


async def copy(src, dst):
    with open(src, "rb") as a, open(dst, "wb") as b:
        while chunk := a.read(1 << 20):
            b.write(chunk)


async def load_settings(path):
    with open(path) as f:
        raw = json.load(f)
        overrides = raw.pop("overrides", {})

    return {**raw, **overrides}


async def count_lines(path, seen):
    total = 0
    with open(path) as f:
        for line in f:
            seen.add(line)
            total += 1
    return total


async def forward(path, send):
    # The body awaits: no fix.
    with open(path) as f:
        await send(f.read())


async def quick_reads(path, other):
    config = json.load(open(path))
    text = open(other).read()
    return config, text
