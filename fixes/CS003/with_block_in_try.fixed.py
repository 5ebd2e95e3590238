# fix-args: --unsafe-fixes --target-version py312
"""An inner function is laid out as `ruff format` lays it out: after `try:`
it is preceded by an empty line, and one follows it."""

import asyncio
import json


async def read_lease(lease_file):
    try:

        def _sync_work():
            with open(lease_file, "r") as f:
                lease_data = json.load(f)
            return lease_data

        lease_data = await asyncio.to_thread(_sync_work)
    except OSError:
        return None
    return lease_data["expires"]
