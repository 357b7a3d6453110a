"""Putting the database and the queues back in step, and the periodic house-keeping.

`reconcile()` is run by `debrief reconcile`, by every worker as it starts and by every
maintenance run. The database says what is pending; whatever has no live job is enqueued again.

The periodic run is not a job scheduled in Redis: a Redis that lost its data would lose it too,
and nothing would schedule it again. Every worker's main process asks `claim_due_run()` at
each heartbeat (at least every 45 s, also while its work horse is busy), and the first to
claim the interval runs it (worker/runner.py, in a thread of its own so the worker's
heartbeats go on): once across all workers, and again soon after Redis forgot the claim.
"""

import logging
from datetime import timedelta

from flask import current_app

from webapp.analysis.queueing import reconcile_analyses
from webapp.db import utcnow
from webapp.queue import connection
from webapp.sharing.deletion import expire_recordings
from webapp.video.queueing import reconcile_videos
from webapp.video.sweeper import sweep

log = logging.getLogger(__name__)

MAINTENANCE_EVERY_SECONDS = 300
# After Redis lost its data, workers still running a job register again at their next
# heartbeat (15 s); maintenance waits this long first, so it never re-enqueues their jobs.
REGISTER_AGAIN_SECONDS = 40


def reconcile() -> list[int]:
    """Re-enqueue pending videos and analyses whose job is gone; fail those that keep dying.

    Returns the ids of the videos re-enqueued for processing.
    """
    # One reconciler at a time, so two workers never enqueue the same work twice.
    # Under the queue's own prefix: installations sharing a Redis do not wait on each other.
    lock = f"{current_app.config['QUEUE_NAME']}:reconcile"
    with connection().lock(lock, timeout=120, blocking_timeout=30):
        requeued = reconcile_videos()
        reconcile_analyses()
        return requeued


def claim_due_run() -> bool:
    """Claim this interval's maintenance run; False when another worker has (or must wait)."""
    redis, prefix = connection(), current_app.config["QUEUE_NAME"]
    claim = f"{prefix}:maintenance-claimed"
    if redis.set(f"{prefix}:redis-remembers", "1", nx=True):  # new, or it lost its data
        redis.set(claim, "1", nx=True, ex=REGISTER_AGAIN_SECONDS)
        return False
    return bool(redis.set(claim, "1", nx=True, ex=MAINTENANCE_EVERY_SECONDS))


def run_maintenance() -> None:
    """Re-enqueue lost work, sweep stale uploads, apply retention."""
    requeued = reconcile()
    if requeued:
        log.info("Re-enqueued videos %s", requeued)
    sweep(older_than=utcnow() - timedelta(days=1))
    expire_recordings()
