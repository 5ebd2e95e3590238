# An `open()` for reading whose handle nothing uses only checks that the file
# exists and can be read: a metadata operation, not the blocking work.
from aiohttp import web


async def download(request):
    path = request.match_info["path"]
    try:
        with open(path):
            return web.FileResponse(path)
    except OSError:
        raise web.HTTPNotFound()


async def readable(path):
    try:
        with open(path, "rb") as unused:
            pass
    except OSError:
        return False
    return True
