"""Forms CS004 must not flag."""
import contextlib

import aiohttp
import asyncpg
import httpx
from aiohttp import web

DSN = "postgresql://localhost/app"
_pool = None


class Client:
    async def __aenter__(self):
        self.session = aiohttp.ClientSession()
        return self

    async def start(self):
        # Stored on an attribute: it lives as long as the object.
        self.conn = await asyncpg.connect(DSN)


async def main():
    # One session for the whole program.
    async with aiohttp.ClientSession() as session:
        async with session.get("https://example.com") as resp:
            print(await resp.text())


async def init_pool():
    global _pool
    _pool = await asyncpg.create_pool(DSN)


async def make_session():
    # A factory: the caller owns the session.
    session = aiohttp.ClientSession()
    return session


async def client_fixture():
    async with httpx.AsyncClient() as client:
        yield client


@contextlib.asynccontextmanager
async def get_db():
    conn = await asyncpg.connect(DSN)
    try:
        yield conn
    finally:
        await conn.close()


async def get_user(uid):
    conn = await asyncpg.connect(DSN)
    try:
        return await conn.fetchrow("SELECT * FROM users WHERE id = $1", uid)
    finally:
        await conn.close()


async def handed_over(registry):
    conn = await asyncpg.connect(DSN)
    registry.register(conn)


async def async_main():
    # Closed by `async with` further down.
    client = httpx.AsyncClient()
    async with client:
        await client.get("https://example.com")


async def crawl(urls):
    # One session for a batch of requests, shared by every fetch.
    async with aiohttp.ClientSession() as session:
        return [await fetch(session, url) for url in urls]


async def fetch(session, url):
    async with session.get(url) as resp:
        return await resp.text()


async def on_startup(app):
    app["session"] = aiohttp.ClientSession()


async def session_ctx(app):
    async with aiohttp.ClientSession() as session:
        app["session"] = session
        yield


def create_app():
    app = web.Application()
    app.cleanup_ctx.append(session_ctx)
    return app


def not_async():
    # Plain functions cannot await a close; not this rule's business.
    return aiohttp.ClientSession()
