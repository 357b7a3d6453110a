"""The rq worker process: it owns its app, and every job runs in a fresh app context of it.

The worker loop runs inside the app's context, so rq's callbacks in the worker itself (a
killed work horse's job is failed by the registry clean-up) find the app as `current_app`;
each job pushes its own context (its own database session), and a forked work horse drops the
connections it inherited. A worker serves the queues most urgent first (webapp/queue.py): rq
takes the next job from the first queue that has one (a running job is not interrupted).

The main process also keeps the house in order at every heartbeat — every 15 s while a job
runs, every 45 s when idle: it registers itself again if Redis lost its data, and runs the
periodic maintenance when no worker has in this interval (webapp/maintenance.py).
"""

import logging
import os

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
            with current_app.app_context():
                if maintenance.run_if_due():
                    log.info("Worker %s ran the periodic maintenance", self.name)
        except RedisError:
            log.warning("Redis unavailable; maintenance waits for the next heartbeat")
        except Exception:  # maintenance must never stop the worker; the next interval retries
            log.exception("Periodic maintenance failed")

    def register_again(self) -> None:
        """Put this worker, and the job it runs, back where reconcile looks for them."""
        log.warning("Worker %s: Redis forgot this worker; registering again", self.name)
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping=self.serialize())
            if self.running_job_id:
                pipeline.hset(self.key, "current_job", self.running_job_id)
            worker_registration.register(self, pipeline)
            pipeline.execute()


def run_worker(app: Flask, burst: bool = False) -> None:
    with app.app_context():
        # A worker (re)starting after a crash picks up what the database says is pending.
        with app.app_context():  # its own session, closed before the loop starts
            maintenance.reconcile()
        worker = DebriefWorker(
            queue.worker_queues(), connection=queue.connection(), serializer=queue.SERIALIZER
        )
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
