import time


async def shadowing_asyncio(asyncio):
    # The parameter keeps its name: the module comes in under an alias.
    time.sleep(1)
    return asyncio
