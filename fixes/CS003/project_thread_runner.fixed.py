# fix-args: --unsafe-fixes --target-version py311
"""A module that already awaits its project's thread runner gets it in the
fixes too, not `asyncio.to_thread` beside it."""

import shutil
import socket

from prefect.utilities.asyncutils import run_sync_in_worker_thread


async def read_remote(fs, path):
    return await run_sync_in_worker_thread(fs.read_bytes, path)


async def copy_tree(source_directory, destination_directory, ignore_function):
    # Keyword arguments pass through the runner; the arguments hugged on one
    # line do not fit with the new first one: one per line.
    await run_sync_in_worker_thread(
        shutil.copytree,
        source_directory,
        destination_directory,
        dirs_exist_ok=True,
        ignore=ignore_function,
    )


async def copy_small(source, destination):
    # They still fit on their line: the function joins them.
    await run_sync_in_worker_thread(
        shutil.copytree, source, destination, dirs_exist_ok=True
    )


async def load_patterns(ignore_file):
    def _sync_work():
        with open(ignore_file) as f:
            patterns = f.readlines()
        return patterns

    patterns = await run_sync_in_worker_thread(_sync_work)
    return [p.strip() for p in patterns]


async def wait_for_name(host, retry):
    # The whole test of an `if` needs no parentheses around `await`; a part
    # of a test keeps them.
    if await run_sync_in_worker_thread(socket.gethostbyname, host):
        return
    while (await run_sync_in_worker_thread(socket.gethostbyname, host)) != "127.0.0.1":
        await retry()
