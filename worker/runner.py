"""The rq worker process: it owns its app, and every job runs in a fresh app context of it.

The worker loop runs inside the app's context, so rq's callbacks in the worker itself (a
killed work horse's job is failed by the registry clean-up) find the app as `current_app`;
each job pushes its own context (its own database session), and a forked work horse drops the
connections it inherited. A worker serves the queues most urgent first (webapp/queue.py): rq
takes the next job from the first queue that has one (a running job is not interrupted).

The main process also keeps the house in order at every heartbeat — every 15 s while a job
runs, every 45 s when idle: it registers itself again if Redis lost its data, and runs the
periodic maintenance in a thread when no worker has in this interval (webapp/maintenance.py).
"""

import logging
import os
import threading

from flask import Flask, current_app
from redis.exceptions import RedisError
from rq import Worker, worker_registration

from webapp import maintenance, queue

log = logging.getLogger(__name__)


class DebriefWorker(Worker):
    # Frequent heartbeats, so a machine that died is noticed within two minutes (reconcile).
    job_monitoring_interval = 15

    def __init__(self, *args, **kwargs):
        # An idle worker wakes every worker_ttl - 15 s to heartbeat, and so to maintain.
        super().__init__(*args, worker_ttl=60, **kwargs)
        self.running_job_id: str | None = None
        self.main_pid = os.getpid()
        self.maintaining: threading.Thread | None = None

    def main_work_horse(self, job, queue):
        # The forked horse must not share the parent's pooled DB connections.
        current_app.extensions["db_engine"].dispose(close=False)
        super().main_work_horse(job, queue)

    def execute_job(self, job, queue):
        self.running_job_id = job.id
        try:
            super().execute_job(job, queue)
        finally:
            self.running_job_id = None

    def heartbeat(self, timeout=None, pipeline=None):
        super().heartbeat(timeout, pipeline)
        if os.getpid() == self.main_pid and pipeline is None:
            self.keep_house()

    def maintain_heartbeats(self, job):
        super().maintain_heartbeats(job)
        self.keep_house()

    def keep_house(self) -> None:
        """Re-register after Redis lost its data, and run maintenance when it is due."""
        try:
            if not self.connection.sismember(self.redis_workers_keys, self.key):
                self.register_again()
            busy = self.maintaining is not None and self.maintaining.is_alive()
            if not busy and maintenance.claim_due_run():
                app = current_app._get_current_object()
                self.maintaining = threading.Thread(target=run_maintenance, args=(app, self.name),
                                                    name="maintenance", daemon=True)  # fmt: skip
                self.maintaining.start()
        except RedisError:
            log.warning("Redis unavailable; maintenance waits for the next heartbeat")

    def register_again(self) -> None:
        """Put this worker, and the job it runs, back where reconcile looks for them."""
        log.warning("Worker %s: Redis forgot this worker; registering again", self.name)
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping=self.serialize())
            if self.running_job_id:
                pipeline.hset(self.key, "current_job", self.running_job_id)
            worker_registration.register(self, pipeline)
            pipeline.execute()


def run_maintenance(app: Flask, worker_name: str) -> None:
    """The periodic maintenance, beside the worker loop: heartbeats go on meanwhile."""
    try:
        with app.app_context():
            maintenance.run_maintenance()
        log.info("Worker %s ran the periodic maintenance", worker_name)
    except Exception:  # it must never stop the worker; the next interval tries again
        log.exception("Periodic maintenance failed")


def run_worker(app: Flask, burst: bool = False) -> None:
    with app.app_context():
        # A worker (re)starting after a crash picks up what the database says is pending.
        with app.app_context():  # its own session, closed before the loop starts
            maintenance.reconcile()
        worker = DebriefWorker(
            queue.worker_queues(), connection=queue.connection(), serializer=queue.SERIALIZER
        )
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
