# fix-args: --unsafe-fixes --target-version py311
import aiohttp
from fastapi import FastAPI

app = FastAPI(title="shop")


@app.get("/price/{item}")
async def price(item: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"https://prices.example/{item}") as resp:
            return await resp.json()
