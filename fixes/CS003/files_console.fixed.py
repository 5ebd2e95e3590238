# fix-args: --unsafe-fixes --target-version py311
import asyncio
import io
import pathlib
from pathlib import Path


async def files(name, data):
    def _sync_work():
        with open(name) as f:
            text = f.read()
        return text

    text = await asyncio.to_thread(_sync_work)
    handle = io.open(name, "rb")
    config = pathlib.Path("/etc") / "app" / name
    raw = await asyncio.to_thread(config.read_bytes)
    await asyncio.to_thread(Path(name).write_text, data, encoding="utf-8")
    await asyncio.to_thread(Path.home().joinpath(".app").write_bytes, raw)
    out = Path(name).with_suffix(".out")

    def _sync_work() -> None:
        with out.open("w") as g:
            g.write(Path(name).read_text())

    await asyncio.to_thread(_sync_work)
    answer = input("continue? ")
    return text, handle, answer


def start_beside(loop, coro):
    # The module runs other work beside its prompts: a prompt stalls it.
    return loop.create_task(coro)
