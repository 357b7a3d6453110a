"""The rq queues the web process enqueues to, always after the database commit.

Jobs are JSON, never pickles: rq would unpickle whatever it finds in Redis, so anyone able to
write to Redis could run code on a worker. Jobs carry only ids, which JSON holds fine. Every
Queue, Worker and Job.fetch names SERIALIZER.

Two queues: `<QUEUE_NAME>` for the work that makes videos playable, and `<QUEUE_NAME>-low`
for lesson analysis. Every worker listens to both, in that order, so analysis only runs when
no video is waiting to be processed.
"""

import logging
import os
import socket
from datetime import UTC, datetime

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from rq.worker import Worker

log = logging.getLogger(__name__)

SERIALIZER = JSONSerializer
LOW_SUFFIX = "-low"
LIVE_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
WORKER_SILENT_SECONDS = 120


def connection() -> Redis:
    app = current_app
    if "redis" not in app.extensions:
        app.extensions["redis"] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=5, health_check_interval=30
        )
    return app.extensions["redis"]


def get_queue(*, low: bool = False) -> Queue:
    """The main queue, or with `low` the low-priority one (lesson analysis)."""
    name = current_app.config["QUEUE_NAME"] + (LOW_SUFFIX if low else "")
    return Queue(name, connection=connection(), serializer=SERIALIZER)


def worker_queues() -> list[Queue]:
    """What every worker serves, in priority order: playback first, analysis after."""
    return [get_queue(), get_queue(low=True)]


def fetch_job(job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=connection(), serializer=SERIALIZER)
    except NoSuchJobError:
        return None


def job_is_alive(job: Job | None) -> bool:
    """Queued or scheduled, or started by a worker that still lives."""
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status != JobStatus.STARTED:
        return status in LIVE_STATES
    workers = {w.name: w for w in Worker.all(connection=connection(), serializer=SERIALIZER)}
    worker = workers.get(job.worker_name)
    return worker is not None and worker_is_alive(worker)


def worker_is_alive(worker: Worker) -> bool:
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


def enqueue_unique(job_id: str, func: str, *, low: bool = False, replace: bool = False,
                   **options) -> bool:  # fmt: skip
    """Enqueue `func` as job `job_id` (after the caller committed) unless that job is live.

    A finished or failed job of that id is deleted first: rq would otherwise keep the old
    hash's expiry and registry entries, and a waiting job could silently vanish. `replace`
    also deletes a job that only looks live (the reconciler found its worker dead). Redis
    trouble only delays the work: the reconciler enqueues it again. Returns whether enqueued.
    """
    try:
        existing = fetch_job(job_id)
        if existing is not None:
            if not replace and existing.get_status(refresh=False) in LIVE_STATES:
                return False
            existing.delete()
        get_queue(low=low).enqueue_call(func, job_id=job_id, **options)
        return True
    except RedisError:
        log.warning("Redis unavailable; job %s waits for the reconciler", job_id)
        return False
