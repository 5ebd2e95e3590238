import asyncio as asyncio_1


async def shadowing_asyncio(asyncio):
    # The parameter keeps its name: the module comes in under an alias.
    await asyncio_1.sleep(1)
    return asyncio
