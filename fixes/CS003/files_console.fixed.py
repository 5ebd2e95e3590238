# fix-args: --unsafe-fixes --target-version py311
import asyncio
import io
import pathlib
from pathlib import Path


async def files(name, data):
    with await asyncio.to_thread(open, name) as f:
        text = f.read()
    handle = await asyncio.to_thread(io.open, name, "rb")
    config = pathlib.Path("/etc") / "app" / name
    raw = await asyncio.to_thread(config.read_bytes)
    await asyncio.to_thread(Path(name).write_text, data, encoding="utf-8")
    await asyncio.to_thread(Path.home().joinpath(".app").write_bytes, raw)
    out = Path(name).with_suffix(".out")
    with await asyncio.to_thread(out.open, "w") as g:
        g.write(await asyncio.to_thread(Path(name).read_text))
    answer = await asyncio.to_thread(input, "continue? ")
    return text, handle, answer
