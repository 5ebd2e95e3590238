# More entry shapes of a program whose coroutines run alone on their loop:
# a `main()` that drives them with `loop.run_until_complete(...)`, a sync
# Click command that runs one with `asyncio.run(...)`, the `async def`s nested
# in them that they only call, and the `run` of a command class.
import asyncio
import shutil
import sys

import click


async def report(args):
    async def write_page(page):
        with open(args[1], "w") as out:
            out.write(page)

    await write_page("<html></html>")


def main():
    loop = asyncio.new_event_loop()
    return loop.run_until_complete(report(sys.argv))


async def _prune(folder):
    shutil.rmtree(folder)


@click.command()
@click.argument("folder")
def prune(folder):
    asyncio.run(_prune(folder))


class BaseCommand:
    pass


class CleanCommand(BaseCommand):
    folder = "build"

    async def run(self):
        shutil.rmtree(self.folder)


if __name__ == "__main__":
    sys.exit(main())
