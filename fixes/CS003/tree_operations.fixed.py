# fix-args: --unsafe-fixes
import asyncio
import shutil
from pathlib import Path


async def publish(build_dir: str, site_dir: str):
    await asyncio.to_thread(shutil.rmtree, site_dir, ignore_errors=True)
    await asyncio.to_thread(shutil.copytree, build_dir, site_dir)


async def prune(cache: Path):
    for entry in cache.iterdir():
        if entry.name.endswith(".tmp"):
            await asyncio.to_thread(shutil.rmtree, entry)
