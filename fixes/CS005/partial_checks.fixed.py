# fix-args: --unsafe-fixes --target-version py311
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class AuthError(Exception):
    pass


class ApiError(Exception):
    pass


async def poll(account):
    return account


async def update(accounts):
    # Only the library's errors are tested: a timeout or a bug elsewhere
    # passes unchecked and is silently lost.
    outcomes = await asyncio.gather(*(poll(a) for a in accounts), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, AuthError):
            raise RuntimeError("log in again") from outcome
        if isinstance(outcome, Exception):
            _LOGGER.warning("poll failed: %s", outcome)


async def health(accounts):
    # Failures of other types end up in the returned mapping as if they
    # were answers. The raise is not inserted before the existing handling.
    outcomes = await asyncio.gather(*(poll(a) for a in accounts), return_exceptions=True)
    status = {a: o for a, o in zip(accounts, outcomes)}
    for account, outcome in status.items():
        if isinstance(outcome, Exception):
            status[account] = False
    return status


def count_known_failures(outcomes):
    return sum(isinstance(o, Exception) for o in outcomes)


async def subscribe(accounts):
    outcomes = await asyncio.gather(*(poll(a) for a in accounts), return_exceptions=True)
    if count := count_known_failures(outcomes):
        _LOGGER.error("%s subscriptions failed", count)
