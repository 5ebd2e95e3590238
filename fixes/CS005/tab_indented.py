# fix-args: --unsafe-fixes --target-version py312
import asyncio


async def fetch(i):
	return i


async def tabbed(ids):
	if ids:
		return await asyncio.gather(
			*[fetch(i) for i in ids],
			return_exceptions=True,
		)
	return []
