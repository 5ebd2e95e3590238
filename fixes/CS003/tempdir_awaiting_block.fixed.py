# fix-args: --unsafe-fixes
# A temporary directory whose block awaits and writes its files with blocking
# calls: the writes are reported (and fixed) on their own; the directory is
# not. A block that awaits work filling the directory with unknown content
# (a clone) keeps its finding: leaving it deletes a whole tree.
import asyncio
import tempfile
from pathlib import Path


async def convert(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmpdir:
        source = Path(tmpdir) / "input.bin"

        def _sync_work() -> None:
            with open(source, "wb") as file:
                file.write(data)

        await asyncio.to_thread(_sync_work)
        process = await asyncio.create_subprocess_exec("convert", str(source))
        await process.wait()
        return b""


async def pull(storage):
    with tempfile.TemporaryDirectory() as tmpdir:
        storage.set_base_path(Path(tmpdir))
        await storage.pull_code()
        return storage.load()
