# fix-args: --unsafe-fixes
import glob
import os
from pathlib import Path


async def inventory(root: str) -> int:
    total = 0
    for _ in Path(root).rglob("*.py"):
        total += 1
    for _top, _dirs, files in os.walk(root):
        total += len(files)
    names = os.listdir(root)
    matches = glob.glob(os.path.join(root, "*.cfg"))
    return total + len(names) + len(matches)
