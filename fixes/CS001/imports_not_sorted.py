"""A module whose imports follow no sorter: third-party before standard library."""
import pytest
import asyncio
from myapp.events import Message


async def listen(connector):
    await connector.receive(Message)


async def start(connector):
    await connector.connect()
    asyncio.create_task(listen(connector))
    assert pytest
