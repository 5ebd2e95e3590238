import os


async def paths(base):
    # String operations: no filesystem access.
    return os.path.join(base, "a"), os.path.basename(base), os.path.relpath(base)
