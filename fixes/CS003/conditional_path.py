# fix-args: --unsafe-fixes
"""A path bound only in one arm of a conditional expression, `None` in the
other: where it is read, it is a `Path`."""

from pathlib import Path


async def download(file_path, local_file, fetch):
    path = Path(file_path) if local_file else None
    if local_file:
        buf = path.read_bytes()
    else:
        buf = await fetch(file_path)
    return buf
