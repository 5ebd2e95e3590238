"""Keeping a task whose line would grow past 88 columns: the wrap comes out
the way Black and Ruff's formatter lay it out, so a formatter run after the
fix leaves it alone."""

import asyncio
import logging
from typing import Any

_background_tasks: set[Any] = set()


def _keep_background_task(task: Any) -> Any:
    """Keep a background task referenced until it is done; log its failure."""
    _background_tasks.add(task)
    task.add_done_callback(_background_task_done)
    return task


def _background_task_done(task: Any) -> None:
    _background_tasks.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logging.getLogger(__name__).error(
            "Background task failed", exc_info=task.exception()
        )


class Relay:
    def __init__(self, loop):
        self.loop = loop
        self.main_loop = loop

    async def forward_everything(self, message):
        await asyncio.sleep(0)

    async def close(self):
        await asyncio.sleep(0)

    def on_message(self, m, destination_queue):
        if m:
            # One line too long: the call moves one level in.
            _keep_background_task(
                asyncio.ensure_future(self.forward_everything(destination_queue))
            )
            # Still too long one level in: the call is wrapped as well.
            _keep_background_task(
                asyncio.run_coroutine_threadsafe(
                    self.forward_everything(m), self.main_loop
                )
            )
            # Already over several lines: its lines move one level in.
            _keep_background_task(
                asyncio.run_coroutine_threadsafe(
                    self.forward_everything(destination_queue), self.loop
                )
            )
            _keep_background_task(
                asyncio.ensure_future(
                    self.forward_everything(m),
                    loop=self.loop,
                )
            )
            # One line of it grows too long one level in: that call is wrapped.
            _keep_background_task(
                self.loop.create_task(
                    self.forward_everything(
                        {k: v for k, v in m.items() if v is not None}
                    )
                )
            )

    def on_close(self):
        if self.loop:
            # The comment makes it too long: it stays after the `)`.
            _keep_background_task(
                self.loop.create_task(self.close())
            )  # the peer asked for it, see close()
            # A pragma comment: the line is not split for it (it would no
            # longer be on the line it is about).
            _keep_background_task(self.loop.create_task(self.close()))  # type: ignore[unused-awaitable]
            t = _keep_background_task(self.loop.create_task(self.close()))  # noqa: F841 (the loop keeps it)
            # Short enough: one line.
            _keep_background_task(self.loop.create_task(self.close()))
