"""A session whose only use is one websocket lives as long as that
connection: the websocket never goes back to a pool, a shared session would
reuse nothing."""
import aiohttp


class Chat:
    async def connect_websocket(self, url):
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(url, heartbeat=600) as websocket:
                self.websocket = websocket
                async for message in websocket:
                    await self.handle(message)

    async def handle(self, message):
        print(message.data)
