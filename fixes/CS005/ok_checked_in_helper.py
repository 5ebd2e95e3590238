import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


async def push(device, value):
    return device, value


def fail_on_errors(devices, outcomes):
    """Raise one error naming every device that failed."""
    failed = [d for d, o in zip(devices, outcomes, strict=True) if isinstance(o, Exception)]
    if failed:
        raise RuntimeError(f"{len(failed)} devices failed: {failed}")


def successes(devices, outcomes):
    for device, outcome in zip(devices, outcomes):
        if not isinstance(outcome, Exception):
            yield device, outcome


def note(outcome):
    if isinstance(outcome, BaseException):
        _LOGGER.warning("push failed: %s", outcome)


async def push_all(devices, value):
    outcomes = await asyncio.gather(*(push(d, value) for d in devices), return_exceptions=True)
    fail_on_errors(devices, outcomes)


async def push_and_keep_successes(devices, value):
    outcomes = await asyncio.gather(*(push(d, value) for d in devices), return_exceptions=True)
    return dict(successes(devices, outcomes))


async def push_extra(devices, extra_errors, value):
    outcomes = await asyncio.gather(*(push(d, value) for d in devices), return_exceptions=True)
    # The list reaches the helper inside a display built from it.
    fail_on_errors((*devices, *extra_errors), (*outcomes, *extra_errors))


async def push_each_noted(devices, value):
    for outcome in await asyncio.gather(*(push(d, value) for d in devices), return_exceptions=True):
        note(outcome)


class Hub:
    def _count_failures(self, outcomes):
        return sum(isinstance(o, Exception) for o in outcomes)

    @staticmethod
    def _log_failure(outcome, what):
        if isinstance(outcome, Exception):
            _LOGGER.error("%s failed", what, exc_info=outcome)

    async def refresh(self, devices):
        outcomes = await asyncio.gather(*(d.refresh() for d in devices), return_exceptions=True)
        if failures := self._count_failures(outcomes):
            _LOGGER.error("%s devices did not refresh", failures)

    async def unsubscribe_all(self, subscriptions):
        outcomes = await asyncio.gather(*(s.cancel() for s in subscriptions), return_exceptions=True)
        for outcome in outcomes:
            self._log_failure(outcome, "unsubscribe")

    async def nested_helper(self, devices):
        def check(values):
            for value in values:
                if isinstance(value, BaseException):
                    raise value

        outcomes = await asyncio.gather(*(d.refresh() for d in devices), return_exceptions=True)
        check(outcomes)
        return outcomes
