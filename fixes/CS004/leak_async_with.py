import aiohttp
import asyncpg
import httpx


async def main(urls):
    session = aiohttp.ClientSession()  # keep this comment
    for url in urls:
        async with session.get(url) as resp:
            print(resp.status)


async def run_main(dsn):
    pool = await asyncpg.create_pool(dsn)
    async with pool.acquire() as conn:
        await conn.execute("SELECT 1")


async def async_main():
    client: httpx.AsyncClient = httpx.AsyncClient()
    response = await client.get("https://example.com")
    print(response.status_code)
    await client.aclose()
