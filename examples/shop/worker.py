"""A small order-processing service with the asyncio bugs CodeSight finds."""
import logging
import time
from time import sleep as pause

logger = logging.getLogger(__name__)


async def poll_inventory(interval: float) -> None:
    while True:
        time.sleep(interval)  # blocks every coroutine on the loop
        logger.info("inventory polled")


async def retry_payment(order_id: int) -> bool:
    for attempt in range(3):
        pause(0.5 * attempt)
        if attempt == 2:
            return True
    return False


def sync_helper() -> None:
    time.sleep(1)  # fine: plain function, not on the event loop


async def offload() -> None:
    def work() -> None:
        time.sleep(1)  # fine: runs wherever `work` is called

    work_later = lambda: time.sleep(2)  # fine: a lambda body is not async context
    del work, work_later
