# fix-args: --unsafe-fixes
import os
from pathlib import Path


async def validate(user_input):
    folder = os.path.expanduser(user_input["folder"])
    if not os.path.isdir(folder):
        raise ValueError("not a directory")
    marker = Path(folder) / ".ready"
    return marker.exists(), os.path.join(folder, "x"), os.path.normpath(folder)
