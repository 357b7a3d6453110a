"""Putting videos on the rq queue: only after commit, with one deterministic job per video.

The database says which videos are pending; Redis only carries the work. When Redis is down
or lost its data, `reconcile()` (run by `debrief reconcile` and periodically by workers)
enqueues again whatever the database says is still pending.
"""

import logging
import os
import socket
import time
from datetime import UTC, datetime
from functools import partial

from flask import current_app
from redis.exceptions import RedisError
from rq import Callback, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.worker import Worker
from sqlalchemy import select

from webapp import db
from webapp.queue import SERIALIZER, connection, get_queue
from webapp.transaction import after_commit
from webapp.video.models import PENDING, Status, Video

log = logging.getLogger(__name__)

PROCESS_JOB = "worker.jobs.process_video"
FAILURE_CALLBACK = "worker.jobs.on_process_failure"
MAINTENANCE_JOB = "worker.jobs.maintenance"
MAINTENANCE_EVERY_SECONDS = 300
MAX_ATTEMPTS = 4
LIVE_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def job_id(video: Video) -> str:
    """Deterministic per video, and unique across installations sharing a Redis."""
    return f"process-video-{video.uuid}"


def job_timeout(size_bytes: int) -> int:
    """A ceiling for rq; ffmpeg itself is stopped sooner, scaled to the probed duration."""
    return int(30 * 60 + size_bytes / (1024 * 1024) * 2)


def enqueue_processing(video: Video) -> bool:
    """Enqueue after the caller committed; Redis trouble only delays the work (reconcile).

    Only a queued video is enqueued: an upload rejected on completion is already failed.
    """
    if video.status != Status.QUEUED:
        return False
    try:
        existing = _job(video)
        if existing is not None and existing.get_status(refresh=False) in LIVE_STATES:
            return False
        get_queue().enqueue_call(
            PROCESS_JOB,
            args=(video.id,),
            job_id=job_id(video),
            timeout=job_timeout(video.size_bytes),
            retry=Retry(max=3, interval=[10, 60, 180]),
            on_failure=Callback(FAILURE_CALLBACK),
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
            description=f"Process video {video.id}",
        )
        return True
    except RedisError:
        log.warning("Redis unavailable; video %s waits for the reconciler", video.id)
        return False


def _job(video: Video) -> Job | None:
    try:
        return Job.fetch(job_id(video), connection=connection(), serializer=SERIALIZER)
    except NoSuchJobError:
        return None


WORKER_SILENT_SECONDS = 120


def _job_is_alive(job: Job | None) -> bool:
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status != JobStatus.STARTED:
        return status in LIVE_STATES
    workers = {w.name: w for w in Worker.all(connection=connection(), serializer=SERIALIZER)}
    worker = workers.get(job.worker_name)
    return worker is not None and _worker_is_alive(worker)


def _worker_is_alive(worker: Worker) -> bool:
    """A worker on this machine is alive while its process is; elsewhere, while it heartbeats."""
    if worker.hostname == socket.gethostname() and worker.pid:
        try:
            os.kill(worker.pid, 0)
        except ProcessLookupError:
            return False
        return True
    heartbeat = worker.last_heartbeat
    if heartbeat is None:
        return False
    silent = datetime.now(UTC) - heartbeat.replace(tzinfo=UTC)
    return silent.total_seconds() < WORKER_SILENT_SECONDS


def reconcile() -> list[int]:
    """Re-enqueue every pending video whose job is gone; fail those that keep dying."""
    # One reconciler at a time, so two workers never enqueue the same video twice.
    # Under the queue's own prefix: installations sharing a Redis do not wait on each other.
    lock = f"{current_app.config['QUEUE_NAME']}:reconcile"
    with connection().lock(lock, timeout=120, blocking_timeout=30):
        return _reconcile()


def _reconcile() -> list[int]:
    requeued = []
    session = db.session()
    for video in session.scalars(select(Video).where(Video.status.in_(PENDING))):
        if _job_is_alive(_job(video)):
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
        after_commit(partial(_enqueue_again, video))
    session.commit()
    return [v.id for v in requeued]


def _enqueue_again(video: Video) -> None:
    _delete_job(video)
    enqueue_processing(video)


def _delete_job(video: Video) -> None:
    job = _job(video)
    if job is not None:
        job.delete()


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
