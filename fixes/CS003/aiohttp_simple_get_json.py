# fix-args: --unsafe-fixes --target-version py311
import requests


async def fetch_user(user_id):
    """Fetch one user."""
    r = requests.get(f"https://api.example.com/users/{user_id}")
    data = r.json()
    return data["name"]
