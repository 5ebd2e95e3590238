# fix-args: --unsafe-fixes --target-version py311
import asyncio

DEFAULTS = {"timeout": 5, "retries": 3}
HOSTS = ["a", "b"]
LIMIT = 10


async def fetch(host):
    timeout = DEFAULTS.get("timeout", LIMIT)
    await asyncio.sleep(0)
    return host in HOSTS, timeout, len(HOSTS), DEFAULTS["retries"]


async def main():
    await asyncio.gather(*[fetch(h) for h in HOSTS])
