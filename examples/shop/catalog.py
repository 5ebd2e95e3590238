"""Catalogue lookups against the users database and a pricing API."""
import asyncio

import aiohttp
import requests

results = {}


async def fetch_user(db, uid: int) -> None:
    user = await db.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    results[uid] = user


async def fetch_batch(db, uids: list[int]) -> dict:
    # Every call fills the same module-level dict: two concurrent batches
    # return each other's users, and stale ones stay forever.
    await asyncio.gather(*[fetch_user(db, uid) for uid in uids])
    return results


async def fetch_rates(url: str) -> dict:
    # A new session (and connection pool) for every call.
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return await resp.json()


async def fetch_weather(city: str) -> dict:
    # Blocks the event loop for the whole HTTP round trip.
    response = requests.get(f"https://api.example/{city}", timeout=5)
    return response.json()
