# Coroutines alone on their event loop: CLI commands and a script's entry
# point that start no concurrent work. Nothing else runs to be stalled.
import asyncio
import json
import sys

import cyclopts
import typer

app = cyclopts.App(name="automations")
tool = typer.Typer()


class Commands(typer.Typer):
    pass


admin = Commands()


@app.command(name="create")
async def create(path: str):
    with open(path) as f:
        print(json.load(f))


@tool.command()
async def show(path: str):
    with open(path) as f:
        print(f.read())


@admin.callback()
async def setup(path: str):
    with open(path) as f:
        print(f.read())


async def load(path):
    with open(path) as f:
        return json.load(f)


async def main(path):
    print(await load(path))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
