# fix-args: --unsafe-fixes --target-version py311
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    print("starting")
    yield
    print("stopped")


app = FastAPI(lifespan=lifespan)


@app.get("/weather/{city}")
async def weather(city: str):
    async with aiohttp.ClientSession() as session:
        async with session.get(f"https://api.example/{city}") as resp:
            return await resp.json()
