import aiohttp
import asyncpg
import httpx


async def main(urls):
    async with aiohttp.ClientSession() as session:  # keep this comment
        for url in urls:
            async with session.get(url) as resp:
                print(resp.status)


async def run_main(dsn):
    async with asyncpg.create_pool(dsn) as pool:
        async with pool.acquire() as conn:
            await conn.execute("SELECT 1")


async def async_main():
    client: httpx.AsyncClient = httpx.AsyncClient()
    try:
        response = await client.get("https://example.com")
        print(response.status_code)
    finally:
        await client.aclose()
