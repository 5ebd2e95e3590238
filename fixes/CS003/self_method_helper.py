# fix-args: --unsafe-fixes
import time


class FileLock:
    def held(self, name):
        with open(f"/tmp/{name}.lock") as f:
            return f.read() != ""

    def wait_until_free(self, name, timeout):
        waited = 0.0
        while self.held(name):
            if waited >= timeout:
                return False
            waited += 0.05
            time.sleep(0.05)
        return True

    def take(self, name, timeout=1.0):
        return self.wait_until_free(name, timeout)

    @staticmethod
    def pause():
        time.sleep(0.01)

    async def atake(self, name):
        return self.take(name, timeout=2.0)

    async def apause(self):
        self.pause()
