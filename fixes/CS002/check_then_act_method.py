# fix-args: --unsafe-fixes --target-version py311
"""A pool per database, built on first use by a method. Two first callers
both find no pool, both suspend in `load_options`, and both build one: the
first pool is overwritten and its connections are never closed."""
import asyncio

import asyncpg

POOLS: dict = {}


class Database:
    async def load_options(self):
        await asyncio.sleep(0)
        return {"min_size": 1}

    async def pool(self, dsn):
        if dsn not in POOLS:
            options = await self.load_options()
            POOLS[dsn] = asyncpg.create_pool(dsn, **options)
        return POOLS[dsn]


async def main(db):
    await asyncio.gather(db.pool("db1"), db.pool("db1"))
