# fix-args: --unsafe-fixes --target-version py38
import asyncio


async def save(path, text):
    def _sync_work() -> None:
        with open(path, "w") as f:
            f.write(text)

    await asyncio.get_running_loop().run_in_executor(None, _sync_work)
