# fix-args: --unsafe-fixes --target-version py312
import asyncio


async def fetch(i):
	return i


async def tabbed(ids):
	if ids:
		results = await asyncio.gather(
			*[fetch(i) for i in ids],
			return_exceptions=True,
		)
		errors = [result for result in results if isinstance(result, BaseException)]
		for error in errors:
			if isinstance(error, asyncio.CancelledError):
				raise error
		if errors:
			raise BaseExceptionGroup(
				f"tabbed: {len(errors)} of {len(results)} awaitables failed", errors
			)
		return results
	return []
