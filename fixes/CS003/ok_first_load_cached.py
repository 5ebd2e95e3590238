# The branch that fills an empty cache runs once per object (or once per
# process for a module variable): the first call loads, later calls return
# what was stored. Loading a small store at first use stalls nothing worth
# a thread.
import functools
import json
import pickle
import ssl

_settings = None


class Store:
    def __init__(self, path):
        self.path = path
        self.data = None
        self.users = None
        self._context = None

    def _load_all(self):
        with open(self.path, "rb") as file:
            self.users = pickle.load(file)

    async def get_data(self):
        if self.data is None:
            with open(self.path) as file:
                self.data = json.load(file)
        return self.data

    async def get_users(self):
        if self.users:
            pass
        elif self.path.endswith(".json"):
            with open(self.path) as file:
                users = json.load(file)
            self.users = users
        else:
            self._load_all()
        return dict(self.users)

    async def context(self):
        if self._context is not None:
            return self._context
        context = ssl.create_default_context(cafile=self.path)
        self._context = context
        return context

    async def lazily(self):
        if not hasattr(self, "_table"):
            with open(self.path) as file:
                self._table = file.read().split()
        return self._table


async def settings(path):
    global _settings
    if _settings is None:
        with open(path) as file:
            _settings = json.load(file)
    return _settings


@functools.lru_cache(maxsize=None)
def load_defaults():
    with open("/etc/app/defaults.json") as file:
        return json.load(file)


@functools.cache
def load_schema():
    with open("/etc/app/schema.json") as file:
        return json.load(file)


async def defaults():
    return load_defaults(), load_schema()
