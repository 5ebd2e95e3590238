# fix-args: --unsafe-fixes
import asyncio
import ssl


async def client_context(ca_file: str, cert: str, key: str):
    context = await asyncio.to_thread(ssl.create_default_context, cafile=ca_file)
    await asyncio.to_thread(context.load_cert_chain, certfile=cert, keyfile=key)
    return context


async def default_context():
    # No file to read: the default store is loaded lazily by OpenSSL.
    return ssl.create_default_context()
