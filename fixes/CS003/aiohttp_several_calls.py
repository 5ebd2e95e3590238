# fix-args: --unsafe-fixes --target-version py311
import requests

BASE = "https://api.example.com"


async def user_with_orders(uid):
    r = requests.get(f"{BASE}/users/{uid}")
    user = r.json()
    r = requests.get(f"{BASE}/users/{uid}/orders")
    user["orders"] = r.json()
    return user


async def health():
    response = requests.head(BASE)
    return response.ok


async def delete_user(uid):
    r = requests.delete(f"{BASE}/users/{uid}")
    if r.status_code == 404:
        return False
    r.raise_for_status()
    return True
