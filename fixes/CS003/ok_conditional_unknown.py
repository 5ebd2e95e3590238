"""A conditional expression whose arms are of different kinds says nothing
about the value: `source` may be the caller's in-memory reader."""

from pathlib import Path


async def load(file_path, local_file, reader):
    source = Path(file_path) if local_file else reader
    return source.read_bytes()
