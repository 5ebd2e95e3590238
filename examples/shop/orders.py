"""Order handling: background jobs and fan-out calls."""
import asyncio


async def send_confirmation_email(order_id: int) -> None:
    await asyncio.sleep(0.1)


async def update_inventory(order_id: int) -> None:
    await asyncio.sleep(0.1)


async def process_order(order_id: int) -> dict:
    # Nobody keeps these tasks: an exception in them is lost, and the
    # event loop may even garbage-collect them before they finish.
    asyncio.create_task(send_confirmation_email(order_id))
    asyncio.create_task(update_inventory(order_id))
    return {"status": "processed"}


async def fetch_price(product_id: int) -> float:
    await asyncio.sleep(0.1)
    return 9.99


async def total_price(product_ids: list[int]) -> float:
    prices = await asyncio.gather(
        *[fetch_price(pid) for pid in product_ids],
        return_exceptions=True,
    )
    # A failed fetch is an exception object in `prices`: sum() then fails
    # with an unrelated TypeError, far from the real error.
    return sum(prices)
