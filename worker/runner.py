"""The rq worker process: one app per process, fresh DB connections in every forked job."""

from flask import Flask
from rq import Worker

from webapp import queue

_app: Flask | None = None


def job_app() -> Flask:
    """The app jobs run in: the worker's own, or one built on first use."""
    global _app
    if _app is None:
        from webapp import create_app

        _app = create_app()
    return _app


def use_app(app: Flask) -> None:
    global _app
    _app = app


class DebriefWorker(Worker):
    # Frequent heartbeats, so a machine that died is noticed within two minutes (reconcile).
    job_monitoring_interval = 15

    def main_work_horse(self, job, queue):
        # The forked horse must not share the parent's pooled DB connections.
        job_app().extensions["db_engine"].dispose(close=False)
        super().main_work_horse(job, queue)


def run_worker(app: Flask, burst: bool = False) -> None:
    use_app(app)
    from webapp.video.queueing import reconcile, schedule_maintenance

    with app.app_context():
        # A worker (re)starting after a crash picks up what the database says is pending.
        reconcile()
        schedule_maintenance()
        worker = DebriefWorker(
            [queue.get_queue()], connection=queue.connection(), serializer=queue.SERIALIZER
        )
    worker.work(burst=burst, with_scheduler=True, logging_level="INFO")
