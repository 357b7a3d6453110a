"""Putting videos on the rq queue: only after commit, with one deterministic job per video.

The database says which videos are pending; Redis only carries the work. When Redis is down
or lost its data, `reconcile_videos()` (part of webapp/maintenance.py's `reconcile()`, run by
`debrief reconcile` and periodically by workers) enqueues again whatever the database says is
still pending.
"""

import time
from datetime import UTC, datetime
from functools import partial

from rq import Callback, Retry
from rq.job import Job
from sqlalchemy import select

from webapp import db
from webapp.queue import connection, enqueue_unique, fetch_job, get_queue, job_is_alive
from webapp.transaction import after_commit
from webapp.video.models import PENDING, Status, Video

PROCESS_JOB = "worker.jobs.process_video"
FAILURE_CALLBACK = "worker.jobs.on_process_failure"
MAINTENANCE_JOB = "worker.jobs.maintenance"
MAINTENANCE_EVERY_SECONDS = 300
MAX_ATTEMPTS = 4


def job_id(video: Video) -> str:
    """Deterministic per video, and unique across installations sharing a Redis."""
    return f"process-video-{video.uuid}"


def job_timeout(size_bytes: int) -> int:
    """A ceiling for rq; ffmpeg itself is stopped sooner, scaled to the probed duration."""
    return int(30 * 60 + size_bytes / (1024 * 1024) * 2)


def enqueue_processing(video: Video, *, replace: bool = False) -> bool:
    """Enqueue after the caller committed; Redis trouble only delays the work (reconcile).

    Only a queued video is enqueued: an upload rejected on completion is already failed.
    """
    if video.status != Status.QUEUED:
        return False
    return enqueue_unique(
        job_id(video),
        PROCESS_JOB,
        replace=replace,
        args=(video.id,),
        timeout=job_timeout(video.size_bytes),
        retry=Retry(max=3, interval=[10, 60, 180]),
        on_failure=Callback(FAILURE_CALLBACK),
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        description=f"Process video {video.id}",
    )


def reconcile_videos() -> list[int]:
    """Re-enqueue every pending video whose job is gone; fail those that keep dying; commit.

    Returns the ids re-enqueued. Run under the reconcile lock (webapp/maintenance.py).
    """
    requeued = []
    session = db.session()
    for video in session.scalars(select(Video).where(Video.status.in_(PENDING))):
        if job_is_alive(fetch_job(job_id(video))):
            continue
        if video.attempt >= MAX_ATTEMPTS:
            video.move_to(
                Status.FAILED,
                f"Processing stopped {video.attempt} times before finishing. "
                "Try again later, or contact your program admin if it keeps happening.",
            )
            continue
        if video.status == Status.PROCESSING:
            video.move_to(Status.QUEUED)
        requeued.append(video)
        after_commit(partial(enqueue_processing, video, replace=True))
    session.commit()
    return [v.id for v in requeued]


def schedule_maintenance() -> None:
    """Keep the next periodic maintenance run (reconcile + sweep) scheduled, once per slot.

    The job id names the time slot, so any number of workers schedule it only once.
    """
    slot = int(time.time() // MAINTENANCE_EVERY_SECONDS) + 1
    scheduled_id = f"maintenance-{slot}"
    if Job.exists(scheduled_id, connection=connection()):
        return
    get_queue().enqueue_at(
        datetime.fromtimestamp(slot * MAINTENANCE_EVERY_SECONDS, UTC),
        MAINTENANCE_JOB,
        job_id=scheduled_id,
        result_ttl=3600,
        failure_ttl=24 * 3600,
    )
