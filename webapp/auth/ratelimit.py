"""Sign-in throttling kept in Redis, so every web process and worker host shares the count.

Failed attempts are counted in a sliding window per account (the email as typed, whether or not
it exists, so the answer reveals nothing) and per client address. A success clears the account's
count but not the address's: one valid account must not let an address keep guessing others.
"""

import hashlib
import math
import time
import uuid

from flask import current_app, request

from webapp import queue
from webapp.auth.services import normalize_email
from webapp.errors import TooManyRequests

MESSAGE = "Too many sign-in attempts. Please wait a few minutes and try again."


class RateLimited(TooManyRequests):
    """A 429 that also says, in seconds, when to try again (the Retry-After header)."""

    def __init__(self, retry_after: int):
        super().__init__(MESSAGE)
        self.retry_after = retry_after


def _windows(email: str) -> list[tuple[str, int]]:
    """The Redis keys and limits that apply to this attempt, under the app's own namespace."""
    config = current_app.config
    prefix = f"{config['QUEUE_NAME']}:login-failures"
    account = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return [
        (f"{prefix}:account:{account}", config["LOGIN_FAILURES_PER_ACCOUNT"]),
        (f"{prefix}:ip:{request.remote_addr or 'unknown'}", config["LOGIN_FAILURES_PER_IP"]),
    ]


def begin(email: str) -> str:
    """Count this attempt before the password is checked, so parallel guesses count too.

    Returns the attempt's id for `succeeded`; raises RateLimited (without counting the refused
    attempt, so Retry-After stays true) when the account or the address is over its limit.
    """
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    redis, now, attempt = queue.connection(), time.time(), uuid.uuid4().hex
    windows = _windows(email)
    pipe = redis.pipeline()
    for key, _ in windows:
        pipe.zremrangebyscore(key, 0, now - window)
        pipe.zadd(key, {attempt: now})
        pipe.expire(key, window)
        pipe.zrange(key, 0, -1, withscores=True)
    replies = pipe.execute()[3::4]
    waits = [
        _blocking_since([score for member, score in entries if member != attempt.encode()], limit)
        for (_, limit), entries in zip(windows, replies, strict=True)
        if len(entries) > limit
    ]
    if waits:
        redis.zrem(windows[0][0], attempt)
        redis.zrem(windows[1][0], attempt)
        raise RateLimited(max(1, math.ceil(max(waits) + window - now)))
    return attempt


def _blocking_since(scores: list[float], limit: int) -> float:
    """When enough earlier attempts have left the window for one more to fit."""
    return sorted(scores)[len(scores) - limit]


def succeeded(email: str, attempt: str) -> None:
    """Clear the account's failures; at the address, only this attempt stops counting."""
    (account_key, _), (ip_key, _) = _windows(email)
    pipe = queue.connection().pipeline()
    pipe.delete(account_key)
    pipe.zrem(ip_key, attempt)
    pipe.execute()
