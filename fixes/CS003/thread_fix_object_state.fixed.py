# fix-args: --unsafe-fixes --target-version py311
"""A store whose coroutines change its data and save it to one file.

Several `update` calls run together under `gather`; each saves the whole
store. Moving a save to a thread would pickle `self.data` while the loop
changes it and let two threads write the file at once: those calls are
reported without a fix. Work that only uses its own arguments is still
moved to a thread.
"""

import asyncio
import pickle
import shutil


class Store:
    def __init__(self, path):
        self.path = path
        self.data = {}

    def _save(self):
        with open(self.path, "wb") as out:
            pickle.dump(self.data, out)

    def _write(self, path, data):
        with open(path, "wb") as out:
            pickle.dump(data, out)

    async def update(self, key, value):
        self.data[key] = value
        self._save()

    async def update_key(self, key, value):
        self.data[key] = value
        self._write(self.path, self.data)

    async def dump_inline(self):
        with open(self.path, "wb") as out:
            pickle.dump(self.data, out)

    async def archive(self, source, target):
        await asyncio.to_thread(shutil.copyfile, source, target)


async def main(store):
    await asyncio.gather(store.update("a", 1), store.update("b", 2))
