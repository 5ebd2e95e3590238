import asyncio


class View:
    async def on_timeout(self):
        """Subclasses override this hook: its empty body here says nothing."""

    def stop(self):
        asyncio.create_task(self.on_timeout())
