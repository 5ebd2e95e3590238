# Controls for the first-load cache: these still block on later calls.
import json
import ssl

import psycopg2

_settings = None


class Client:
    def __init__(self, dsn, path):
        self.dsn = dsn
        self.path = path
        self._conn = None
        self._data = None

    async def query(self, sql):
        # Reconnects after every `close()`: not a one-time load.
        if self._conn is None:
            self._conn = psycopg2.connect(self.dsn)
        return sql

    def close(self):
        self._conn.close()
        self._conn = None

    async def load(self):
        # The test is on the cache, but the branch does not fill it: the
        # file is read on every call.
        if self._data is None:
            with open(self.path) as file:
                data = json.load(file)
            return data
        return self._data

    async def context(self, fresh):
        # A local flag is no cache.
        if fresh:
            return ssl.create_default_context(cafile=self.path)
        return None


async def settings(path):
    # A local variable named like a cache: filled on every call.
    cache = None
    if cache is None:
        with open(path) as file:
            cache = json.load(file)
    return cache


def reset():
    global _settings
    _settings = None


async def reloadable(path):
    global _settings
    if _settings is None:
        with open(path) as file:
            _settings = json.load(file)
    return _settings


class Server:
    def __init__(self, certfile):
        self.certfile = certfile
        self.started = False

    async def start(self):
        # `stop()` clears the flag: every restart reads the file again.
        if self.started:
            return
        self.started = True
        with open(self.certfile) as file:
            return file.read()

    def stop(self):
        self.started = False
