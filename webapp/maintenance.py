"""Putting the database and the queues back in step: processing first, then lesson analysis.

Run by `debrief reconcile`, by every worker as it starts and by the periodic maintenance job.
The database says what is pending; whatever has no live job is enqueued again.
"""

from flask import current_app

from webapp.analysis.queueing import reconcile_analyses
from webapp.queue import connection
from webapp.video.queueing import reconcile_videos


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
