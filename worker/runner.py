"""The rq worker process: it owns its app, and every job runs in a fresh app context of it.

The worker loop runs inside the app's context, so rq's callbacks in the worker itself (a
killed work horse's job is failed by the registry clean-up) find the app as `current_app`;
each job pushes its own context (its own database session), and a forked work horse drops the
connections it inherited. A worker serves `<QUEUE_NAME>` and then `<QUEUE_NAME>-low`: rq takes
the next job from the first queue that has one, so an analysis starts only when no video waits
to be processed (a running analysis is not interrupted).
"""

from flask import Flask, current_app
from rq import Worker

from webapp import queue


class DebriefWorker(Worker):
    # Frequent heartbeats, so a machine that died is noticed within two minutes (reconcile).
    job_monitoring_interval = 15

    def main_work_horse(self, job, queue):
        # The forked horse must not share the parent's pooled DB connections.
        current_app.extensions["db_engine"].dispose(close=False)
        super().main_work_horse(job, queue)


def run_worker(app: Flask, burst: bool = False) -> None:
    from webapp.maintenance import reconcile
    from webapp.video.queueing import schedule_maintenance

    with app.app_context():
        # A worker (re)starting after a crash picks up what the database says is pending.
        with app.app_context():
            reconcile()
            schedule_maintenance()
        # The main queue first: lesson analysis (the low queue) never delays playback.
        worker = DebriefWorker(
            queue.worker_queues(), connection=queue.connection(), serializer=queue.SERIALIZER
        )
        worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
