"""`create_task` of an object that a project function hands out under another
name is not taken for an event loop's: it may be a scheduler that keeps its
tasks."""

from . import helpers


class Sender:
    def __init__(self, callback):
        self._callback = callback

    def _reconnected(self):
        if self._callback:
            helpers.get_scheduler().create_task(self._callback())
            helpers.get_running_loop_policy().create_task(self._callback())
