"""Control: a session that also makes a plain request per call is still a
per-call session."""
import aiohttp


async def token_then_listen(url, token_url):
    async with aiohttp.ClientSession() as session:
        async with session.get(token_url) as response:
            token = await response.text()
        async with session.ws_connect(url, headers={"token": token}) as websocket:
            async for message in websocket:
                print(message.data)
