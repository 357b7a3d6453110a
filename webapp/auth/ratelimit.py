"""Password-check throttling kept in Redis, so every web process and worker host shares the count.

Every password check (the sign-in page, POST /api/v1/tokens, confirming an account deletion)
goes through `check_password`. Failed attempts are counted per account *and client address*
(the email as typed, whether or not it exists, so the answer reveals nothing): after
LOGIN_FAILURES_PER_ACCOUNT failures in the window, that address must wait before guessing that
account again, twice as long after each further failure (LOGIN_BACKOFF_SECONDS, then 2, 4, …
times that, at most the window). Each address also has a ceiling across all accounts
(LOGIN_FAILURES_PER_IP), so one address cannot spray guesses over many accounts.

There is deliberately no account-wide lock: it would let anyone, anywhere, lock a teacher out
with a few wrong passwords. A guesser spread over many addresses is bounded by those addresses'
own ceilings and back-offs, and by argon2id's cost per guess. A success clears that account's
failures from that address, but not the address's: one valid account must not let an address
keep guessing others.
"""

import hashlib
import ipaddress
import math
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request

from webapp import queue
from webapp.auth.services import normalize_email
from webapp.errors import TooManyRequests

MESSAGE = "Too many password attempts. Please wait a few minutes and try again."

T = TypeVar("T")


class RateLimited(TooManyRequests):
    """A 429 that also says, in seconds, when to try again (the Retry-After header)."""

    def __init__(self, retry_after: int, message: str = MESSAGE):
        super().__init__(message)
        self.retry_after = retry_after


def _keys(email: str) -> tuple[str, str]:
    """This attempt's (account and address) and (address) keys, under the app's namespace."""
    prefix = f"{current_app.config['QUEUE_NAME']}:login-failures"
    account = hashlib.sha256(normalize_email(email).encode()).hexdigest()
    address = _network(request.remote_addr or "unknown")
    return f"{prefix}:account:{account}:ip:{address}", f"{prefix}:ip:{address}"


def _network(address: str) -> str:
    """An IPv4 address, or an IPv6 one's /64: one host holds a whole /64 and can rotate in it."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def begin(email: str) -> str:
    """Count this attempt before the password is checked, so parallel guesses count too.

    Returns the attempt's id for `succeeded`; raises RateLimited (without counting the refused
    attempt, so Retry-After stays true) while this address must wait for this account, or
    while the address is over its own limit.
    """
    config = current_app.config
    window = config["LOGIN_FAILURE_WINDOW_SECONDS"]
    redis, now, attempt = queue.connection(), time.time(), uuid.uuid4().hex
    keys = _keys(email)
    pipe = redis.pipeline()
    for key in keys:
        pipe.zremrangebyscore(key, 0, now - window)
        pipe.zadd(key, {attempt: now})
        pipe.expire(key, window)
        pipe.zrange(key, 0, -1, withscores=True)
    pair, address = (
        sorted(score for member, score in entries if member != attempt.encode())
        for entries in pipe.execute()[3::4]
    )
    until = max(_backoff_until(pair, config, window), _window_until(address, config, window))
    if until > now:
        for key in keys:
            redis.zrem(key, attempt)
        raise RateLimited(max(1, math.ceil(until - now)))
    return attempt


def _backoff_until(failures: list[float], config, window: int) -> float:
    """When this address may next try this account: doubling waits after the free failures."""
    extra = len(failures) - config["LOGIN_FAILURES_PER_ACCOUNT"]
    if extra < 0:
        return 0
    return failures[-1] + min(config["LOGIN_BACKOFF_SECONDS"] * 2 ** min(extra, 30), window)


def _window_until(failures: list[float], config, window: int) -> float:
    """When enough of the address's failures have left the window for one more to fit."""
    limit = config["LOGIN_FAILURES_PER_IP"]
    return failures[len(failures) - limit] + window if len(failures) >= limit else 0


def succeeded(email: str, attempt: str) -> None:
    """Clear this account's failures from this address; the address's own count stays."""
    pair_key, ip_key = _keys(email)
    pipe = queue.connection().pipeline()
    pipe.delete(pair_key)
    pipe.zrem(ip_key, attempt)
    pipe.execute()


def check_password(email: str, check: Callable[[], T]) -> T:
    """Run one password check under the throttle: counted first, forgiven when it passes."""
    attempt = begin(email)
    result = check()
    if result:
        succeeded(email, attempt)
    return result
