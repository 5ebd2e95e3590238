# A console prompt in a module that runs work beside it: while `input()`
# waits, the receiving task cannot run (a chat client's classic bug).
import asyncio


async def receive(ws):
    async for message in ws:
        print(message)


async def chat(ws):
    receiver = asyncio.create_task(receive(ws))
    try:
        while True:
            line = input("> ")
            await ws.send_str(line)
    finally:
        receiver.cancel()
