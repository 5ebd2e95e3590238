"""Blocking calls the maintainers accepted, marked with Ruff's own line
comment by rule name."""

import subprocess
import time


async def warm_up():
    time.sleep(0.1)  # ruff: ignore[blocking-sleep-in-async-function]
    subprocess.run(["true"])  # ruff: ignore[ASYNC221]
