# fix-args: --unsafe-fixes --target-version py311
# The code already tests the results for the errors it expects: the fix
# extends that handling to every other failure, where the results are
# tested, instead of adding a loop of its own.
import asyncio
import logging

_LOGGER = logging.getLogger(__name__)


class BackendError(Exception):
    ALREADY_SUBSCRIBED_CODE = 1207
    code = 0


class LoginRequired(BackendError):
    pass


class QuotaExceeded(BackendError):
    pass


class RefreshFailed(Exception):
    pass


class ReauthNeeded(Exception):
    pass


class SessionExpired(Exception):
    pass


class Unreachable(Exception):
    def __init__(self, node, cause):
        super().__init__(node)
        self.node = node
        self.cause = cause


async def send(channel, text):
    return channel, text


async def post(channels, text):
    # An if/elif chain that logs the failure whole: its last test is widened.
    jobs = {channel: send(channel, text) for channel in channels}
    replies = await asyncio.gather(*jobs.values(), return_exceptions=True)
    for channel, reply in zip(jobs, replies, strict=True):
        if isinstance(reply, LoginRequired):
            _LOGGER.error("Not logged in, cannot post to %s", channel)
        elif isinstance(reply, Exception):
            _LOGGER.error("Could not post to %s: %r", channel, reply)


async def refresh(accounts):
    # Separate tests that raise; the last one wraps the failure as it is.
    replies = await asyncio.gather(
        *(send(a, "?") for a in accounts), return_exceptions=True
    )
    for reply in replies:
        if isinstance(reply, LoginRequired):
            raise ReauthNeeded("log in again") from reply
        if isinstance(reply, Exception):
            raise RefreshFailed(reply) from reply
    return replies


async def refresh_reauth_last(accounts):
    # The last test raises an error about its own type: it is not widened
    # (a timeout is no reason to log in again); the generic raise is copied.
    replies = await asyncio.gather(
        *(send(a, "?") for a in accounts), return_exceptions=True
    )
    for reply in replies:
        if isinstance(reply, BackendError):
            raise RefreshFailed(f"refresh failed: {reply}")
        if isinstance(reply, SessionExpired):
            raise ReauthNeeded("log in again") from reply
        elif isinstance(reply, Exception):
            raise RefreshFailed(f"refresh failed: {reply}") from reply
    return replies


async def poll(accounts):
    # A branch that only notes its type and lets it through to the next
    # test: the new test leaves that type out.
    replies = await asyncio.gather(
        *(send(a, "?") for a in accounts), return_exceptions=True
    )
    for reply in replies:
        if isinstance(reply, QuotaExceeded):
            _LOGGER.debug("Over quota: %s", reply)
        if isinstance(reply, LoginRequired):
            raise RefreshFailed(f"poll failed: {reply}")
        elif isinstance(reply, Exception) and not isinstance(reply, QuotaExceeded):
            raise RefreshFailed(f"poll failed: {reply}") from reply


async def probe(node):
    return node


async def check_nodes(nodes):
    # A loop over a mapping that marks the failures it expects: the other
    # failures are logged the way the code logs, and marked the same way.
    results = await asyncio.gather(*(probe(n) for n in nodes), return_exceptions=True)
    health = {node: result for node, result in zip(nodes, results)}
    for node, result in health.items():
        if isinstance(result, Unreachable):
            _LOGGER.debug("Node unreachable", exc_info=result.cause)
            health[result.node] = False
        elif isinstance(result, Exception):
            _LOGGER.debug("Node unreachable", exc_info=result)
            health[node] = False
    return health


def failed_count(results):
    # Expected errors are counted, one kind only under a condition: the
    # other failures are one more operand, leaving that kind to its condition.
    return sum(
        isinstance(result, (TypeError, ValueError))
        or (
            isinstance(result, BackendError)
            and result.code != BackendError.ALREADY_SUBSCRIBED_CODE
        )
        or (isinstance(result, Exception) and not isinstance(result, BackendError))
        for result in results
    )


async def subscribe(devices):
    results = await asyncio.gather(
        *(send(d, "sub") for d in devices), return_exceptions=True
    )
    if (count := failed_count(results)) > 0:
        _LOGGER.error("Failed to subscribe %s devices", count)


async def unsubscribe(devices):
    # A second gather handled by the same helper: one change there.
    results = await asyncio.gather(
        *(send(d, "unsub") for d in devices), return_exceptions=True
    )
    if (count := failed_count(results)) > 0:
        _LOGGER.error("Failed to unsubscribe %s devices", count)
