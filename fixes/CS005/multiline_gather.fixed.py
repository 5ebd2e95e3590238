# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def load(key):
    return key


class Loader:
    async def load_many(self, keys):
        if keys:
            results = await asyncio.gather(
                # one coroutine per key
                *(load(key) for key in keys),
                return_exceptions=True,
            )
            errors = [result for result in results if isinstance(result, BaseException)]
            for error in errors:
                if isinstance(error, asyncio.CancelledError):
                    raise error
            if errors:
                raise BaseExceptionGroup(
                    f"load_many: {len(errors)} of {len(results)} awaitables failed", errors
                )
            return results  # trailing comment stays
        return []
