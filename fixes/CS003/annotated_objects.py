# fix-args: --unsafe-fixes
from pathlib import Path
from typing import IO, Optional

import httpx


class Reporter:
    client: httpx.Client

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir

    async def fetch(self, url):
        return self.client.get(url)

    async def save(self, text: str):
        (self.out_dir / "report.txt").write_text(text)


async def run_hook(hook_path: Path) -> str:
    return hook_path.read_text(encoding="utf-8")


async def store(settings, text: str) -> None:
    memo: Path = settings.memo_path
    memo.write_text(text)


# `IO` says "any stream": often an in-memory one, which does not block.
async def dump(sink: Optional[IO[str]], rows):
    sink.write("\n".join(rows))
