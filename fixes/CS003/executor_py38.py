# fix-args: --unsafe-fixes --target-version py38
import asyncio
import subprocess

import requests


async def old_python(url, args, cmd):
    subprocess.run(cmd)
    requests.get(url, timeout=5)
    subprocess.check_output(
        cmd,
        text=True,
    )


async def with_loop(url, args):
    loop = asyncio.get_running_loop()
    subprocess.call(*args)
    return requests.post(url, json={})
