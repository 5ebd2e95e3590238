# fix-args: --unsafe-fixes
# The helper pickles what `self.serialize()` returns, an abstract method that
# subclasses in other modules implement (on live state their coroutines
# change). What it reads cannot be seen here, so the finding gets no thread
# fix; a helper that reads only what the module shows keeps its fix.
import pickle
from abc import ABC, abstractmethod

from store.base import MemoryStore


class FileStore(ABC):
    path: str

    @abstractmethod
    def serialize(self):
        pass

    def _save(self):
        with open(self.path, "wb") as file:
            pickle.dump(self.serialize(), file)

    async def flush(self):
        self._save()


class CachedStore(MemoryStore):
    path = "cache.pickle"

    def _save(self):
        with open(self.path, "wb") as file:
            pickle.dump(self.snapshot(), file)

    async def flush(self):
        self._save()


class Settings:
    path = "settings.json"

    def _write(self, text):
        with open(self.path, "w") as file:
            file.write(text)

    async def save(self, text):
        self._write(text)
