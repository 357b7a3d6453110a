"""One long lesson, many workers: its ladder cut into parts, and a fair dispatcher for them.

The processing job (worker/jobs.py) probes a long video and plans its parts: chunks of the
picture cut at segment boundaries, plus the extras (audio for the whole lesson, poster,
storyboard, peaks). The parts wait in the database, not in Redis: `dispatch()` keeps the
default queue only as deep as there are workers to serve it, and teachers take turns: next is
the teacher whose latest part went on the queue longest ago, and among their videos the one
served longest ago; a video with only a few parts left (a short clip) goes before all of
them. So one teacher's ten long uploads do not starve another teacher's one, nor a long lesson
a short clip. Processing jobs (probing, and the one pass of a short video) go to the front of
the queue, so they wait only for a worker to finish its part.
A part's job, as it ends, marks it done and dispatches again; the last one enqueues the
assembly (worker/chunks.py), which publishes the same outputs as a single pass.

Every state change is a short transaction of its own (the worker's jobs run outside any
request). A part whose job vanished (a killed worker, a flushed Redis) is put back to waiting
by `reconcile_parts()`, which the reconciler runs for each chunked video.
"""

import logging
from collections import Counter
from datetime import datetime, timedelta
from functools import partial

from flask import current_app
from redis.exceptions import RedisError
from rq import Callback, Retry, Worker
from sqlalchemy import delete, func, select, update

from webapp import db
from webapp.db import utcnow
from webapp.queue import SERIALIZER, connection, enqueue_unique, get_queue, job_is_live
from webapp.transaction import after_commit
from webapp.video.models import EXTRAS, EncodePart, PartState, Status, Video

log = logging.getLogger(__name__)

PART_JOB = "worker.chunks.encode_part"
PART_FAILURE_CALLBACK = "worker.chunks.on_part_failure"
ASSEMBLE_JOB = "worker.chunks.assemble_video"
ASSEMBLE_FAILURE_CALLBACK = "worker.chunks.on_assemble_failure"
ACTIVE = (PartState.QUEUED, PartState.RUNNING)
NEVER = datetime.min
MAX_RUNS = 6  # rq's own retries included
FEW_PARTS = 3  # a video with this few parts left is dispatched first
# A part just put on the queue may not have its job yet: reconcile leaves it alone this long.
# Shorter than the wait after a Redis flush (maintenance.REGISTER_AGAIN_SECONDS, 40 s), so the
# first maintenance run after a flush puts back every part dispatched before it; at 60 s a
# part dispatched just before the flush waited a whole maintenance interval more.
ENQUEUE_GRACE = timedelta(seconds=30)
STOPPED = (
    "Converting part of this recording stopped {runs} times before finishing. Try again "
    "later, or contact your program admin if it keeps happening."
)


def part_job_id(video: Video, part: EncodePart) -> str:
    return f"part-{video.uuid}-a{part.attempt}-{part.index}"


def assemble_job_id(video: Video) -> str:
    return f"assemble-video-{video.uuid}-a{video.attempt}"


def plan(video: Video, total_frames: int, chunk_frames: int) -> int:
    """Insert the parts of the video's current attempt; returns how many chunks there are."""
    session = db.session()
    session.execute(delete(EncodePart).where(EncodePart.video_id == video.id))
    starts = list(range(0, total_frames, chunk_frames))
    if len(starts) > 1 and total_frames - starts[-1] < chunk_frames // 2:
        starts.pop()  # a short tail joins the last chunk rather than make a tiny one
    for i, first in enumerate(starts):
        last = i == len(starts) - 1
        frames = None if last else chunk_frames
        session.add(EncodePart(video_id=video.id, attempt=video.attempt, index=i,
                               first_frame=first, frames=frames))  # fmt: skip
    session.add(EncodePart(video_id=video.id, attempt=video.attempt, index=EXTRAS))
    session.commit()
    return len(starts)


def parts_of(video: Video) -> list[EncodePart]:
    """The parts of the video's current attempt, extras first."""
    query = select(EncodePart).where(
        EncodePart.video_id == video.id, EncodePart.attempt == video.attempt
    )
    return list(db.session().scalars(query.order_by(EncodePart.index)))


def start(part_id: int) -> tuple[Video, EncodePart] | None:
    """Mark a part running; None when its video or attempt moved on (the job just ends), or
    when the part has been started too often (a file that kills its worker) — then the
    video fails with the reason."""
    session = db.session()
    part = session.get(EncodePart, part_id)
    video = session.get(Video, part.video_id) if part else None
    current = (video is not None and video.status == Status.PROCESSING
               and part.attempt == video.attempt and part.state != PartState.DONE)  # fmt: skip
    if current and part.runs >= MAX_RUNS:
        video.move_to(Status.FAILED, STOPPED.format(runs=part.runs))
        video.quick_key = video.preview_key = None
        video.preview_complete = True
        session.execute(delete(EncodePart).where(EncodePart.video_id == video.id))
        current = False
    elif current:
        part.state, part.runs = PartState.RUNNING, part.runs + 1
    session.commit()
    return (video, part) if current else None


def record_progress(part_id: int, video_id: int, percent: int) -> None:
    """Store a chunk's progress, and the video's: 5 to 95 % across all its chunks."""
    session = db.session()
    session.execute(update(EncodePart).where(EncodePart.id == part_id).values(progress=percent))
    attempt = select(Video.attempt).where(Video.id == video_id).scalar_subquery()
    mean = session.scalar(
        select(func.avg(EncodePart.progress)).where(
            EncodePart.video_id == video_id, EncodePart.attempt == attempt,
            EncodePart.index != EXTRAS,
        )
    )  # fmt: skip
    session.execute(
        update(Video)
        .where(Video.id == video_id, Video.status == Status.PROCESSING)
        .values(progress=5 + int(90 * float(mean or 0) / 100))
    )
    session.commit()


def finish(part_id: int, result: dict | None = None) -> bool:
    """Mark a part done; the last part of its attempt enqueues the assembly.

    False when the part is gone meanwhile (its video deleted, failed or started again).
    """
    session = db.session()
    part = session.get(EncodePart, part_id)
    if part is None:
        session.rollback()
        return False
    # The video's row, locked: two last parts finishing at once (PostgreSQL) then see each
    # other done, so one of them enqueues the assembly.
    video = session.get(Video, part.video_id, with_for_update={"of": Video})
    part.state, part.progress = PartState.DONE, 100
    if result is not None:
        part.result = result
    left = session.scalar(
        select(func.count()).where(
            EncodePart.video_id == part.video_id, EncodePart.attempt == part.attempt,
            EncodePart.state != PartState.DONE,
        )
    )  # fmt: skip
    if left == 0 and video.attempt == part.attempt:
        after_commit(partial(enqueue_assembly, video))
    session.commit()  # runs the enqueue, after COMMIT (webapp/transaction.py)
    return True


def requeued(part_id: int) -> None:
    """rq will run the part again (a retry): it is on the queue, not running."""
    db.session().execute(
        update(EncodePart).where(EncodePart.id == part_id).values(state=PartState.QUEUED)
    )
    db.session().commit()


def forget(video_id: int) -> None:
    """Drop every part row of a video: published, failed, or about to be planned again."""
    db.session().execute(delete(EncodePart).where(EncodePart.video_id == video_id))
    db.session().commit()


def enqueue_assembly(video: Video) -> bool:
    return enqueue_unique(
        assemble_job_id(video),
        ASSEMBLE_JOB,
        args=(video.id, video.attempt),
        timeout=30 * 60 + int((video.duration_ms or 0) / 1000),
        retry=Retry(max=3, interval=[10, 60, 180]),
        on_failure=Callback(ASSEMBLE_FAILURE_CALLBACK),
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        description=f"Assemble video {video.id}",
    )


def dispatch() -> list[int]:
    """Put waiting parts on the default queue, fairly, until it holds one per worker.

    Under a Redis lock, so two workers never enqueue the same part. Returns the part ids.
    """
    try:
        lock = connection().lock(f"{current_app.config['QUEUE_NAME']}:dispatch", timeout=60,
                                 blocking_timeout=20)  # fmt: skip
        with lock:
            return _dispatch()
    except RedisError:
        log.warning("Redis unavailable; parts wait for the reconciler to dispatch them")
        return []


def _dispatch() -> list[int]:
    session = db.session()
    rows = session.execute(
        select(EncodePart, Video)
        .join(Video, Video.id == EncodePart.video_id)
        .where(Video.status == Status.PROCESSING, EncodePart.attempt == Video.attempt)
        .order_by(Video.uploaded_at, Video.id, EncodePart.index)
    ).all()
    room = _workers_serving() - sum(1 for part, _ in rows if part.state == PartState.QUEUED)
    # Teachers take turns: next is the one whose latest part went on the queue longest ago;
    # within one teacher, so do their videos (a short clip is not stuck behind a long lesson).
    served: dict[tuple[str, int], datetime] = {}
    for part, video in rows:
        for key in (("owner", video.owner_id), ("video", video.id)):
            if part.dispatched_at and part.dispatched_at > served.get(key, NEVER):
                served[key] = part.dispatched_at

    # A video with only a few parts left (a short clip, a lesson's end) goes first: it is
    # done soon, and so is its teacher's wait.
    left = Counter(video.id for part, video in rows if part.state != PartState.DONE)

    def turn(pair: tuple[EncodePart, Video]) -> tuple[bool, datetime, datetime]:
        video = pair[1]
        return (left[video.id] > FEW_PARTS, served.get(("owner", video.owner_id), NEVER),
                served.get(("video", video.id), NEVER))  # fmt: skip

    waiting = [(part, video) for part, video in rows if part.state == PartState.WAITING]
    chosen = []
    while room > 0 and waiting:
        pick = min(waiting, key=turn)  # ties: the oldest upload, its first part
        waiting.remove(pick)
        part, video = pick
        part.state, part.dispatched_at = PartState.QUEUED, utcnow()
        served[("owner", video.owner_id)] = served[("video", video.id)] = part.dispatched_at
        chosen.append(pick)
        room -= 1
    session.commit()
    for part, video in chosen:
        _enqueue_part(video, part)
    return [part.id for part, _ in chosen]


def _workers_serving() -> int:
    """How many parts the default queue should hold: one per live worker, at least one."""
    workers = Worker.all(queue=get_queue(), connection=connection(), serializer=SERIALIZER)
    return max(1, len(workers))


def _enqueue_part(video: Video, part: EncodePart) -> None:
    job = part_job_id(video, part)
    enqueued = enqueue_unique(
        job,
        PART_JOB,
        args=(part.id,),
        timeout=30 * 60 + int((video.duration_ms or 0) / 1000),
        retry=Retry(max=3, interval=[10, 60, 180]),
        on_failure=Callback(PART_FAILURE_CALLBACK),
        result_ttl=3600,
        failure_ttl=7 * 24 * 3600,
        description=f"Encode video {video.id}, part {part.index}",
    )
    if not enqueued and not _live(job):  # Redis trouble: waiting, for the next dispatch
        db.session().execute(
            update(EncodePart).where(EncodePart.id == part.id).values(state=PartState.WAITING)
        )
        db.session().commit()


def _live(job: str) -> bool:
    try:
        return job_is_live(job)
    except RedisError:
        return False


def reconcile_parts(video: Video) -> bool:
    """Put parts whose job vanished back to waiting, and re-enqueue a lost assembly.

    Returns False when the video has no parts for its attempt (it is processed in one pass).
    """
    parts = parts_of(video)
    if not parts:
        return False
    settled = utcnow() - ENQUEUE_GRACE
    for part in parts:
        lost = part.state in ACTIVE and not job_is_live(part_job_id(video, part))
        if lost and (part.dispatched_at or NEVER) < settled:
            part.state = PartState.WAITING
    if all(p.state == PartState.DONE for p in parts) and not job_is_live(assemble_job_id(video)):
        after_commit(partial(enqueue_assembly, video))
    return True
