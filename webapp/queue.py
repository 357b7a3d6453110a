"""The rq queues the web process enqueues to, always after the database commit.

Jobs are JSON, never pickles: rq would unpickle whatever it finds in Redis, so anyone able to
write to Redis could run code on a worker. Jobs carry only ids, which JSON holds fine. Every
Queue, Worker and Job.fetch names SERIALIZER.

Three queues, which every worker serves in this order (rq takes the next job from the first
queue that has one):
- `<QUEUE_NAME>-high`: what makes a video playable in seconds (the quick copy, the preview);
- `<QUEUE_NAME>`: the bulk of processing (the full ladder);
- `<QUEUE_NAME>-low`: lesson analysis.
So a teacher's short clip becomes playable before a colleague's long lesson is transcoded, and
analysis only runs when no video is waiting to be processed.
"""

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from enum import StrEnum

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
LIVE_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
WORKER_SILENT_SECONDS = 120


def connection() -> Redis:
    app = current_app
    if "redis" not in app.extensions:
        app.extensions["redis"] = Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=5, health_check_interval=30
        )
    return app.extensions["redis"]


class Priority(StrEnum):
    """The queues, most urgent first."""

    HIGH = "high"
    DEFAULT = "default"
    LOW = "low"


def get_queue(priority: Priority = Priority.DEFAULT) -> Queue:
    """One of the queues: the default one keeps the bare QUEUE_NAME."""
    base = current_app.config["QUEUE_NAME"]
    name = base if priority == Priority.DEFAULT else f"{base}-{priority}"
    return Queue(name, connection=connection(), serializer=SERIALIZER)


def worker_queues() -> list[Queue]:
    """What every worker serves, in priority order: playable first, the ladder, analysis."""
    return [get_queue(priority) for priority in Priority]


def fetch_job(job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=connection(), serializer=SERIALIZER)
    except NoSuchJobError:
        return None


def job_is_live(job_id: str) -> bool:
    """Queued or scheduled, or being run by a worker that still lives.

    A Redis that lost its data forgets the job while a worker still runs it; that worker
    registers again with its current job at its next heartbeat (worker/runner.py), so the
    job is still found live and is not started a second time.
    """
    job = fetch_job(job_id)
    if job is not None and job.get_status(refresh=False) != JobStatus.STARTED:
        return job.get_status(refresh=False) in LIVE_STATES
    workers = Worker.all(connection=connection(), serializer=SERIALIZER)
    return any(worker_is_alive(w) for w in workers if w.get_current_job_id() == job_id)


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


def enqueue_unique(job_id: str, func: str, *, priority: Priority = Priority.DEFAULT,
                   replace: bool = False, delay: float = 0, **options) -> bool:  # fmt: skip
    """Enqueue `func` as job `job_id` (after the caller committed) unless that job is live.

    A finished or failed job of that id is deleted first: rq would otherwise keep the old
    hash's expiry and registry entries, and a waiting job could silently vanish. `replace`
    also deletes a job that only looks live (the reconciler found its worker dead); `delay`
    schedules it that many seconds ahead. Redis
    trouble only delays the work: the reconciler enqueues it again. Returns whether enqueued.
    """
    try:
        existing = fetch_job(job_id)
        if existing is not None:
            if not replace and existing.get_status(refresh=False) in LIVE_STATES:
                return False
            existing.delete()
        queue = get_queue(priority)
        if delay > 0:  # scheduled: rq's scheduler (every worker runs one) enqueues it then
            queue.enqueue_in(timedelta(seconds=delay), func, job_id=job_id, **options)
        else:
            queue.enqueue_call(func, job_id=job_id, **options)
        return True
    except RedisError:
        log.warning("Redis unavailable; job %s waits for the reconciler", job_id)
        return False
