# fix-args: --unsafe-fixes --target-version py311
import requests


async def create_order(order):
    r = requests.post("https://shop.example/orders", json=order, timeout=5)
    r.raise_for_status()
    created = r.json()
    return created["id"]


async def notify(hook_url, text):
    requests.post(hook_url, data={"text": text})
