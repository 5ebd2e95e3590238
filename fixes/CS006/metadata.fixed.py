# fix-args: --unsafe-fixes
import asyncio
import os
from pathlib import Path


async def validate(user_input):
    folder = os.path.expanduser(user_input["folder"])
    if not (await asyncio.to_thread(os.path.isdir, folder)):
        raise ValueError("not a directory")
    marker = Path(folder) / ".ready"
    return await asyncio.to_thread(marker.exists), os.path.join(folder, "x"), os.path.normpath(
        folder
    )
