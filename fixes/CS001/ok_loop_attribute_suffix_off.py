"""With `loop-attributes` set to the exact names only, an attribute ending
in `_loop` is not taken for an event loop."""


class Consumer:
    def __init__(self, worker):
        self.worker = worker

    async def on_assigned(self, partitions):
        pass

    def on_assign(self, consumer, partitions):
        self.worker.thread_loop.create_task(self.on_assigned(partitions))
