# fix-args: --unsafe-fixes --target-version py38
import asyncio
import subprocess

import requests
import functools


async def old_python(url, args, cmd):
    await asyncio.get_running_loop().run_in_executor(None, subprocess.run, cmd)
    await asyncio.get_running_loop().run_in_executor(None, functools.partial(requests.get, url, timeout=5))
    await asyncio.get_running_loop().run_in_executor(
        None,
        functools.partial(subprocess.check_output,
        cmd,
        text=True,
    ))


async def with_loop(url, args):
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, subprocess.call, *args)
    return await loop.run_in_executor(None, functools.partial(requests.post, url, json={}))
