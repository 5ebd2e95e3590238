"""Blocking calls the maintainers accepted, marked for flake8-async."""

import subprocess
import time


async def warm_up():
    time.sleep(0.1)  # noqa: ASYNC251
    subprocess.run(["true"])  # noqa: ASYNC221
