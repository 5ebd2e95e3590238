# fix-args: --unsafe-fixes --target-version py39
import asyncio
import logging


async def fetch_user(uid):
    return {uid: uid}


async def fetch_batch(uids: list) -> dict:
    raw_results = await asyncio.gather(
        *[fetch_user(uid) for uid in uids], return_exceptions=True
    )
    for result in raw_results:
        if isinstance(result, BaseException):
            raise result
    return {k: v for d in raw_results for k, v in d.items()}


async def warm_cache(uids):
    results = await asyncio.gather(
        *[fetch_user(uid) for uid in uids], return_exceptions=True
    )
    for outcome in results:
        if isinstance(outcome, Exception):
            logging.getLogger(__name__).error(
                "Awaitable failed in warm_cache", exc_info=outcome
            )
