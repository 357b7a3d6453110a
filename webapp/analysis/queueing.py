"""Putting lesson analyses on the low-priority queue: after commit, one job per run.

Like processing (webapp/video/queueing.py), the database says which analyses are pending and
Redis only carries the work; `reconcile_analyses()` (part of webapp/maintenance.py's
`reconcile()`) enqueues again those whose job is gone (a killed worker, a flushed Redis).
Workers serve the main queue first, so an analysis never delays a video becoming playable.

A job's id names the video and the analysis's `run_token`, so a re-run, a retry after a dead
worker or a deletion never reuses an old job's id: the old job, if it still runs, finds its
token gone and stops at its next progress report (webapp/analysis/running.py).
"""

import logging
from functools import partial

from flask import current_app
from redis.exceptions import RedisError
from rq import Callback, Retry
from sqlalchemy import select

from webapp import db
from webapp.analysis.models import IN_PROGRESS, AnalysisStatus, LessonAnalysis, new_run_token
from webapp.queue import Priority, enqueue_unique, fetch_job, job_is_live
from webapp.transaction import after_commit
from webapp.video.models import Status, Video

log = logging.getLogger(__name__)

ANALYSE_JOB = "worker.analyse_job.analyse_video"
FAILURE_CALLBACK = "worker.analyse_job.on_analysis_failure"
MAX_ATTEMPTS = 3
STOPPED = (
    "The analysis stopped {attempts} times before finishing. Run it again later, or contact "
    "your program admin if it keeps happening."
)
TURNED_OFF = "Lesson analysis is turned off on this server (ANALYSIS_ENABLED=0)."


def job_id(video: Video, token: str) -> str:
    """Unique per run, and across installations sharing a Redis."""
    return f"analyse-video-{video.uuid}-{token}"


def job_timeout(duration_ms: int | None) -> int:
    """A ceiling for rq: generous for a bigger model on a slow machine (twice real time)."""
    return int(30 * 60 + 2 * (duration_ms or 3 * 3600 * 1000) / 1000)


def enqueue_analysis(video: Video, token: str) -> bool:
    """Enqueue the run `token` of the video's analysis (after the caller committed)."""
    return enqueue_unique(
        job_id(video, token),
        ANALYSE_JOB,
        priority=Priority.LOW,
        args=(video.id, token),
        timeout=job_timeout(video.duration_ms),
        retry=Retry(max=2, interval=[30, 120]),
        on_failure=Callback(FAILURE_CALLBACK),
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        description=f"Analyse video {video.id}",
    )


def enqueue_after_commit(video: Video, analysis: LessonAnalysis) -> None:
    after_commit(partial(enqueue_analysis, video, analysis.run_token))


def cancel_after_commit(video: Video, token: str | None) -> None:
    """Drop a queued job once its run is gone (a started one stops at its next progress)."""
    if token:
        after_commit(partial(_cancel, job_id(video, token)))


def _cancel(job: str) -> None:
    try:
        found = fetch_job(job)
        if found is not None and found.get_status(refresh=False) != "started":
            found.delete()
    except RedisError:
        log.warning("Redis unavailable; job %s will find its analysis gone", job)


def reconcile_analyses() -> list[int]:
    """Re-enqueue each analysis waiting or running without a live job; commit.

    Returns the videos' ids. With ANALYSIS_ENABLED off, such analyses are turned off
    instead (with the reason), so none waits for ever.
    """
    enabled = current_app.config["ANALYSIS_ENABLED"]
    session = db.session()
    query = (
        select(LessonAnalysis, Video)
        .join(Video, Video.id == LessonAnalysis.video_id)
        .where(LessonAnalysis.status.in_(IN_PROGRESS), Video.status == Status.READY)
    )
    requeued = []
    for analysis, video in session.execute(query):
        if analysis.run_token and job_is_live(job_id(video, analysis.run_token)):
            continue
        if not enabled:
            analysis.reset(AnalysisStatus.OFF, TURNED_OFF)
            continue
        if analysis.attempt >= MAX_ATTEMPTS:
            analysis.status, analysis.run_token = AnalysisStatus.FAILED, None
            analysis.error = STOPPED.format(attempts=analysis.attempt)
            continue
        # A fresh token: a job that only looks dead (a worker out of touch) stores nothing.
        analysis.status, analysis.progress = AnalysisStatus.PENDING, 0
        analysis.run_token = new_run_token()
        requeued.append(video.id)
        enqueue_after_commit(video, analysis)
    session.commit()
    if requeued:
        log.info("Re-enqueued the analyses of videos %s", requeued)
    return requeued
