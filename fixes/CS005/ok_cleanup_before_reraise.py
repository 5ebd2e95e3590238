"""Closing what was opened before letting the original error go on.

The `except` handler re-raises what it caught: the gather only waits for the
transports to close, on a best-effort basis, and a failure to close must not
replace the error in flight. Nothing here is reported.
"""

import asyncio


async def connect(transports, handshake):
    try:
        await handshake()
    except Exception:
        await asyncio.gather(
            *(t.close() for t in transports),
            return_exceptions=True,
        )
        raise
