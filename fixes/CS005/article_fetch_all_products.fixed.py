# fix-args: --unsafe-fixes --target-version py311
import asyncio


async def fetch_product(product_id):
    return {"id": product_id}


async def fetch_all_products():
    results = await asyncio.gather(
        fetch_product(1),
        fetch_product(2),
        fetch_product(3),
        return_exceptions=True  # Errors become return values
    )
    errors = [result for result in results if isinstance(result, BaseException)]
    for error in errors:
        if isinstance(error, asyncio.CancelledError):
            raise error
    if errors:
        raise BaseExceptionGroup(
            f"fetch_all_products: {len(errors)} of {len(results)} awaitables failed", errors
        )
    # If product 2's API is down,
    # results[1] = ConnectionError("Connection refused")
    # No exception raised
    return results
    # Caller sees a list, doesn't know it's partial
