# fix-args: --unsafe-fixes --target-version py39
import asyncio


async def load(key):
    return key


class Loader:
    async def load_many(self, keys):
        if keys:
            return await asyncio.gather(
                # one coroutine per key
                *(load(key) for key in keys),
                return_exceptions=True,
            )  # trailing comment stays
        return []
