# fix-args: --unsafe-fixes
import asyncio
import os
import tempfile


async def build_in_scratch(job, compile_step):
    # The body awaits: the block cannot move to a thread as a whole.
    with tempfile.TemporaryDirectory(prefix="job") as scratch:
        await compile_step(job, cwd=scratch)


async def sizes_of(blobs):
    def _sync_work():
        with tempfile.TemporaryDirectory() as scratch:
            paths = []
            for name, data in blobs.items():
                path = os.path.join(scratch, name)
                with open(path, "wb") as out:
                    out.write(data)
                paths.append(os.path.getsize(path))
        return paths

    paths = await asyncio.to_thread(_sync_work)
    return paths
