"""A module whose only import is inside the function."""


async def handler():
    import time

    time.sleep(1)
