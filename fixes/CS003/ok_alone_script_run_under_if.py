"""A script whose module-level `if`/`elif` on the parsed arguments runs a
coroutine with `asyncio.run(...)`: it runs once, on import, alone on its
loop, like a module-level statement."""
import argparse
import asyncio
import os

parser = argparse.ArgumentParser()
parser.add_argument("--create", action="store_true")
parser.add_argument("--version", action="store_true")
args = parser.parse_args()


async def ask(prompt):
    await asyncio.sleep(0)
    return input(prompt)


async def create_project():
    name = await ask("Project name? ")
    os.makedirs(name, exist_ok=True)
    with open(os.path.join(name, "config.toml"), "w") as fp:
        fp.write(f'name = "{name}"\n')


if args.version:
    print("1.0")
elif args.create:
    asyncio.run(create_project())
