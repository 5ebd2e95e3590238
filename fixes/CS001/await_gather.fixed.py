# fix-args: --unsafe-fixes
# fix-pick: 2
import asyncio as aio


async def notify(user, channel):
    await aio.sleep(0)


async def publish(user):
    await aio.gather(notify(user, "email"), notify(user, "sms"), notify(user, "push"))
    print("published")
    await notify(user, "audit")
    # the last one is apart
    await notify(user, "archive")


async def publish_everywhere(user):
    if user:
        await aio.gather(
            notify(user, "a very long channel name that does not fit"),
            notify(user, "another very long channel name"),
        )
