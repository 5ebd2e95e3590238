import asyncio


class Page:
    pass


async def load(source):
    return Page()


async def pages(sources):
    # Only the expected type flows on; failures are counted as not shown.
    outcomes = await asyncio.gather(*(load(s) for s in sources), return_exceptions=True)
    shown = [o for o in outcomes if isinstance(o, Page)]
    return shown, len(outcomes) - len(shown)


async def split_by_kind(sources):
    outcomes = await asyncio.gather(*(load(s) for s in sources), return_exceptions=True)
    first_kind = [o for o in outcomes if isinstance(o, (Page, dict))]
    return first_kind


async def confirmed(switches):
    # The awaitables return True on success: an exception is never `True`.
    outcomes = await asyncio.gather(*(s.turn_on() for s in switches), return_exceptions=True)
    return sum(1 for o in outcomes if o is True)


async def run_updates(updaters):
    # Each updater returns None; anything else is the failure, and reported.
    outcomes = await asyncio.gather(*[u() for u in updaters], return_exceptions=True)
    for outcome in outcomes:
        if outcome is not None:
            print("update failed:", outcome)
