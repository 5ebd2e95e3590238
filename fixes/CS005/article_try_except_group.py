# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def fetch_product(product_id):
    return {"id": product_id}


async def fetch_all_products():
    try:
        return await asyncio.gather(
            fetch_product(1), fetch_product(2), fetch_product(3),
            return_exceptions=True
        )
    except ExceptionGroup as eg:
        for exc in eg.exceptions:
            print(f"failed: {exc}")
        raise
