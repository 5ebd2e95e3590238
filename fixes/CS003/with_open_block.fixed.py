# fix-args: --unsafe-fixes
import asyncio
import json


async def copy(src, dst):
    def _sync_work() -> None:
        with open(src, "rb") as a, open(dst, "wb") as b:
            while chunk := a.read(1 << 20):
                b.write(chunk)

    await asyncio.to_thread(_sync_work)


async def load_settings(path):
    def _sync_work():
        with open(path) as f:
            raw = json.load(f)
            overrides = raw.pop("overrides", {})
        return raw, overrides

    raw, overrides = await asyncio.to_thread(_sync_work)

    return {**raw, **overrides}


async def count_lines(path, seen):
    total = 0

    def _sync_work() -> None:
        nonlocal total
        with open(path) as f:
            for line in f:
                seen.add(line)
                total += 1

    await asyncio.to_thread(_sync_work)
    return total


async def forward(path, send):
    # The body awaits: no fix.
    with open(path) as f:
        await send(f.read())


async def quick_reads(path, other):
    config = await asyncio.to_thread(lambda: json.load(open(path)))
    text = await asyncio.to_thread(lambda: open(other).read())
    return config, text
