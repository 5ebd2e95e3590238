# fix-args: --unsafe-fixes
import shutil
from pathlib import Path


async def publish(build_dir: str, site_dir: str):
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.copytree(build_dir, site_dir)


async def prune(cache: Path):
    for entry in cache.iterdir():
        if entry.name.endswith(".tmp"):
            shutil.rmtree(entry)
