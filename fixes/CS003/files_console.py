# fix-args: --unsafe-fixes --target-version py311
import io
import pathlib
from pathlib import Path


async def files(name, data):
    with open(name) as f:
        text = f.read()
    handle = io.open(name, "rb")
    config = pathlib.Path("/etc") / "app" / name
    raw = config.read_bytes()
    Path(name).write_text(data, encoding="utf-8")
    Path.home().joinpath(".app").write_bytes(raw)
    out = Path(name).with_suffix(".out")
    with out.open("w") as g:
        g.write(Path(name).read_text())
    answer = input("continue? ")
    return text, handle, answer


def start_beside(loop, coro):
    # The module runs other work beside its prompts: a prompt stalls it.
    return loop.create_task(coro)
