"""Putting videos on the rq queue: only after commit, with one deterministic job per video.

The database says which videos are pending; Redis only carries the work. When Redis is down
or lost its data, `reconcile_videos()` (part of webapp/maintenance.py's `reconcile()`, run by
`debrief reconcile`, by workers at start and by every maintenance run) enqueues again
whatever the database says is still pending.
"""

from functools import partial

from rq import Callback, Retry
from sqlalchemy import select

from webapp import db
from webapp.queue import Priority, enqueue_unique, job_is_live
from webapp.transaction import after_commit
from webapp.video import parts
from webapp.video.models import PENDING, Status, Video

PROCESS_JOB = "worker.jobs.process_video"
FAILURE_CALLBACK = "worker.jobs.on_process_failure"
PREVIEW_JOB = "worker.preview.preview_video"
PREVIEW_FAILURE_CALLBACK = "worker.preview.on_preview_failure"
MAX_ATTEMPTS = 4


def job_id(video: Video) -> str:
    """Deterministic per video, and unique across installations sharing a Redis."""
    return f"process-video-{video.uuid}"


def preview_job_id(video: Video) -> str:
    """One job per slice of the preview (worker/preview.py)."""
    return f"preview-video-{video.uuid}-{video.preview_slices}"


def job_timeout(size_bytes: int) -> int:
    """A ceiling for rq; ffmpeg itself is stopped sooner, scaled to the probed duration."""
    return int(30 * 60 + size_bytes / (1024 * 1024) * 2)


def enqueue_processing(video: Video, *, replace: bool = False) -> bool:
    """Enqueue after the caller committed; Redis trouble only delays the work (reconcile).

    Only a queued video is enqueued: an upload rejected on completion is already failed.
    """
    if video.status != Status.QUEUED:
        return False
    enqueue_preview(video)
    return enqueue_unique(
        job_id(video),
        PROCESS_JOB,
        replace=replace,
        args=(video.id,),
        at_front=True,  # short work (webapp/video/parts.py): it should not wait behind parts
        timeout=job_timeout(video.size_bytes),
        retry=Retry(max=3, interval=[10, 60, 180]),
        on_failure=Callback(FAILURE_CALLBACK),
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        description=f"Process video {video.id}",
    )


def enqueue_preview(video: Video, delay: float = 0) -> bool:
    """Enqueue the next slice of the video's preview on the high queue, if any is left
    (`delay` seconds from now: worker/preview.py paces a preview far ahead of any viewer)."""
    if video.status not in PENDING or video.preview_complete:
        return False
    return enqueue_unique(
        preview_job_id(video),
        PREVIEW_JOB,
        priority=Priority.HIGH,
        delay=delay,
        args=(video.id, video.preview_slices),
        timeout=20 * 60,
        retry=Retry(max=2, interval=[5, 30]),
        on_failure=Callback(PREVIEW_FAILURE_CALLBACK),
        result_ttl=3600,
        failure_ttl=24 * 3600,
        description=f"Preview video {video.id}, slice {video.preview_slices}",
    )


def reconcile_videos() -> list[int]:
    """Re-enqueue every pending video whose job is gone; fail those that keep dying; commit.

    Returns the ids re-enqueued. Run under the reconcile lock (webapp/maintenance.py).
    """
    requeued = []
    session = db.session()
    chunked = False
    for video in session.scalars(select(Video).where(Video.status.in_(PENDING))):
        if not video.preview_complete and not job_is_live(preview_job_id(video)):
            after_commit(partial(enqueue_preview, video))
        if video.status == Status.PROCESSING and parts.reconcile_parts(video):
            chunked = True  # its parts carry it, whatever became of the planning job
            continue
        if job_is_live(job_id(video)):
            continue
        if video.attempt >= MAX_ATTEMPTS:
            video.move_to(
                Status.FAILED,
                f"Processing stopped {video.attempt} times before finishing. "
                "Try again later, or contact your program admin if it keeps happening.",
            )
            video.quick_key = video.preview_key = None  # objects go with a retry or deletion
            video.preview_complete = True
            continue
        if video.status == Status.PROCESSING:
            video.move_to(Status.QUEUED)
        requeued.append(video)
        after_commit(partial(enqueue_processing, video, replace=True))
    if chunked:
        after_commit(parts.dispatch)
    session.commit()
    return [v.id for v in requeued]
