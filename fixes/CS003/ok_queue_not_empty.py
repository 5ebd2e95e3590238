# A thread queue drained only while it is not empty never waits: the item
# is there when `get()` runs.
import queue


class Setup:
    def __init__(self):
        self._pending = queue.Queue()

    async def connect(self):
        results = []
        while not self._pending.empty():
            item = self._pending.get()
            results.append(await item())
        if self._pending.qsize() > 0:
            results.append(self._pending.get())
        return results
