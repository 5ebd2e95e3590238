# fix-args: --unsafe-fixes
import asyncio
import glob
import os
from pathlib import Path


async def inventory(root: str) -> int:
    total = 0
    for _ in Path(root).rglob("*.py"):
        total += 1
    for _top, _dirs, files in os.walk(root):
        total += len(files)
    names = await asyncio.to_thread(os.listdir, root)
    matches = await asyncio.to_thread(glob.glob, os.path.join(root, "*.cfg"))
    return total + len(names) + len(matches)
