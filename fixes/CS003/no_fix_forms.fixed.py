import time

import httpx


async def reported_without_fix(url, delays):
    # Wrapping the callee in parentheses leaves nothing safe to replace.
    (time.sleep)(1)
    # `await` would turn the generator into an async generator.
    any(time.sleep(d) for d in delays)
    # The request happens when the block is entered, not in the call.
    with httpx.stream("GET", url) as response:
        return response.status_code
