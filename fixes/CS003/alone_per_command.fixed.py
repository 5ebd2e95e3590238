# fix-args: --unsafe-fixes --target-version py312
# Two commands of one Typer application, each run on a loop of its own by
# `asyncio.run(...)`: `fetch_all` gathers, so its blocking read stalls the
# fetches it runs at once and is reported; `export` starts nothing
# concurrent, so its coroutines are alone on their loop.
import asyncio
import json

import typer

app = typer.Typer()


async def fetch(name):
    await asyncio.sleep(0)
    return name


async def _fetch_all(path):
    def _sync_work():
        with open(path) as f:
            names = f.read().split()
        return names

    names = await asyncio.to_thread(_sync_work)
    return await asyncio.gather(*(fetch(n) for n in names))


async def _write(path, rows):
    with open(path, "w") as f:
        json.dump(rows, f)


async def _export(path):
    rows = [await fetch(n) for n in ("a", "b")]
    await _write(path, rows)


@app.command()
def fetch_all(path: str):
    print(asyncio.run(_fetch_all(path)))


@app.command()
def export(path: str):
    asyncio.run(_export(path))
