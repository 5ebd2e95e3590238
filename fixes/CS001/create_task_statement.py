"""A request handler that sends an email in the background."""

import asyncio


async def send_welcome_email(user):
    await asyncio.sleep(0)


async def handle(user):
    asyncio.create_task(send_welcome_email(user))  # fire and forget
    return "ok"


async def handle_many(users):
    for user in users:
        asyncio.create_task(send_welcome_email(user))
    asyncio.create_task(
        send_welcome_email(users[0]),
    ); print("sent")
