# fix-args: --unsafe-fixes --target-version py311
import requests
from fastapi import FastAPI

app = FastAPI(title="weather")


@app.get("/forecast/{city}")
async def forecast(city: str):
    r = requests.get("https://weather.example/api", params={"city": city}, timeout=5)
    if r.status_code == 404:
        return {"error": "unknown city"}
    return r.json()
