# fix-args: --unsafe-fixes
# A script whose coroutine hands its handler to a server: the server runs the
# handler once per connection, concurrently, so a blocking call there stalls
# the other connections. The entry point itself still runs alone.
import asyncio
import sys


async def handle(reader, writer):
    def _sync_work():
        with open(sys.argv[1], "rb") as f:
            data = f.read()
        return data

    data = await asyncio.to_thread(_sync_work)
    writer.write(data)
    await writer.drain()
    writer.close()


async def serve(port):
    with open(sys.argv[2]) as f:
        banner = f.read()
    print(banner)
    server = await asyncio.start_server(handle, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main():
    asyncio.run(serve(8888))


if __name__ == "__main__":
    main()
