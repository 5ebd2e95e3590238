# fix-args: --unsafe-fixes
import os
import tempfile


async def build_in_scratch(job, compile_step):
    # The body awaits: the block cannot move to a thread as a whole.
    with tempfile.TemporaryDirectory(prefix="job") as scratch:
        await compile_step(job, cwd=scratch)


async def sizes_of(blobs):
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for name, data in blobs.items():
            path = os.path.join(scratch, name)
            with open(path, "wb") as out:
                out.write(data)
            paths.append(os.path.getsize(path))
    return paths
