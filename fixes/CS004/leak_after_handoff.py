"""A session handed to a server object, lost when the server fails to start."""
import logging

from aiohttp import ClientSession

_LOGGER = logging.getLogger(__name__)


async def async_setup(registry, make_server):
    session = ClientSession()
    server = make_server(registry, session)
    try:
        await server.start()
    except Exception:
        _LOGGER.warning("Could not start the server", exc_info=True)
        return False

    async def on_stop():
        await server.stop()
        await session.close()

    registry["stop"] = on_stop
    return True


async def already_registered(registry, make_server):
    # The closer is registered before anything can raise: no leak.
    session = ClientSession()
    registry["session"] = session
    server = make_server(registry, session)
    await server.start()
    registry["server"] = server
