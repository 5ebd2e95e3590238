# fix-args: --unsafe-fixes
# fix-pick: 2
import asyncio as aio


async def notify(user, channel):
    await aio.sleep(0)


async def publish(user):
    aio.create_task(notify(user, "email"))
    aio.create_task(notify(user, "sms"))
    task = aio.create_task(notify(user, "push"))
    print("published")
    aio.create_task(notify(user, "audit"))
    # the last one is apart
    aio.create_task(notify(user, "archive"))


async def publish_everywhere(user):
    if user:
        aio.create_task(notify(user, "a very long channel name that does not fit"))
        aio.create_task(notify(user, "another very long channel name"))
