# fix-args: --unsafe-fixes
# A CLI command that runs coroutines concurrently: a blocking read stalls
# the others.
import asyncio

import typer

tool = typer.Typer()


async def fetch(name):
    await asyncio.sleep(0)
    return name


@tool.command()
async def sync_all(path: str):
    def _sync_work():
        with open(path) as f:
            names = f.read().split()
        return names

    names = await asyncio.to_thread(_sync_work)
    await asyncio.gather(*(fetch(n) for n in names))
