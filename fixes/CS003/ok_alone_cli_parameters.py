# Command callbacks registered by another module's application object: their
# parameters declare them as commands, so each runs alone on its loop.
import json
import subprocess
from typing import Annotated

import cyclopts
import typer


async def list_command(
    config: Annotated[str, cyclopts.Parameter(help="The server's config file")],
    as_json: Annotated[bool, cyclopts.Parameter("--json")] = False,
) -> None:
    with open(config) as f:
        servers = json.load(f)
    print(json.dumps(servers) if as_json else servers)


async def install_command(name: str = typer.Argument(...)) -> None:
    subprocess.run(["uv", "pip", "install", name], check=True)
