# fix-args: --unsafe-fixes --target-version py311
import asyncio
import functools
import psycopg2


async def partly_fixed(dsn):
    conn = await asyncio.to_thread(psycopg2.connect, dsn)
    cur = await asyncio.get_running_loop().run_in_executor(None, conn.cursor)
    await asyncio.to_thread(cur.execute, "SELECT 1")
    conn2 = await asyncio.get_running_loop().run_in_executor(None, functools.partial(psycopg2.connect, dsn=dsn))
    await asyncio.to_thread(conn2.commit)
