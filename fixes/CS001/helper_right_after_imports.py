# The first function follows the imports directly: the helper takes its
# place and is separated from the imports as isort wants an assignment.

import asyncio
import weakref

from . import errors


async def open_cursor(connection):
    if connection is None:
        raise errors.NotConnected()
    cursor = await connection.cursor()

    def on_collect(ref):
        asyncio.ensure_future(cursor.close())

    connection.guard = weakref.ref(cursor, on_collect)
    return cursor
