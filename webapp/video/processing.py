"""State changes the processing job makes, in short transactions the UI can watch."""

import time
from datetime import date

from blinker import Namespace
from sqlalchemy import select, update

from webapp import db
from webapp.db import utcnow
from webapp.video.models import PENDING, LessonDateSource, Status, Video

# Sent with the video as it is published, inside the publishing transaction: features that
# build on a playable video (lesson analysis) connect to it, so this package needs none of them.
published = Namespace().signal("video-published")


def begin_attempt(video_id: int) -> Video | None:
    """Mark the video processing for a new attempt; None when there is nothing to do."""
    video = db.session().get(Video, video_id, with_for_update={"of": Video})
    if video is None or video.status not in PENDING:
        db.session().rollback()
        return None
    video.move_to(Status.PROCESSING)
    video.attempt += 1
    video.progress = 0
    db.session().commit()
    return video


def record_probe(
    video: Video,
    *,
    duration_ms: int,
    width: int | None,
    height: int | None,
    has_video: bool,
    has_audio: bool,
    recorded_on: date | None = None,
) -> None:
    """Store what probing found; the recording's own date becomes the lesson date unless
    the teacher has set one."""
    video.duration_ms, video.width, video.height = duration_ms, width, height
    video.has_video, video.has_audio = has_video, has_audio
    if recorded_on is not None:  # one conditional UPDATE: a date the teacher sets meanwhile wins
        db.session().execute(
            update(Video)
            .where(Video.id == video.id, Video.lesson_date_source != LessonDateSource.OWNER)
            .values(lesson_date=recorded_on, lesson_date_source=LessonDateSource.RECORDING)
            .execution_options(synchronize_session="fetch")
        )
    db.session().commit()


def set_quick_playback(video_id: int, key: str) -> bool:
    """Point a pending video at its quick copy; False when it is no longer pending."""
    return _update_pending(video_id, quick_key=key, preview_complete=True)


def preview_due(video_id: int, slice_index: int) -> Video | None:
    """The video, when slice `slice_index` of its preview is the next one to make."""
    video = db.session().get(Video, video_id)
    due = (video is not None and video.status in PENDING and not video.preview_complete
           and video.preview_slices == slice_index)  # fmt: skip
    db.session().rollback()  # nothing held while ffmpeg runs
    return video if due else None


def show_preview(video_id: int, slice_index: int, key: str) -> bool:
    """Let the watch page play the preview playlist, once its first segments are stored."""
    return _update_pending(video_id, Video.preview_slices == slice_index, preview_key=key)


def preview_published(video_id: int, slice_index: int, complete: bool) -> bool:
    """Record slice `slice_index` in the playlist; False when the video is no longer pending
    or its preview started afresh meanwhile (a retry: this job is a leftover)."""
    return _update_pending(video_id, Video.preview_slices == slice_index,
                           preview_slices=slice_index + 1, preview_complete=complete)  # fmt: skip


def end_preview(video_id: int) -> None:
    """No more preview work: not needed, the source is refused, or retries ran out."""
    _update_pending(video_id, preview_complete=True)


def _update_pending(video_id: int, *also, **values) -> bool:
    """One conditional UPDATE: the preview job never overwrites what the ladder published."""
    changed = db.session().execute(
        update(Video).where(Video.id == video_id, Video.status.in_(PENDING), *also).values(**values)
    )
    db.session().commit()
    return changed.rowcount == 1


class ProgressRecorder:
    """Store progress at most every `interval` seconds, so ffmpeg is never slowed by the DB."""

    def __init__(self, video: Video, start: int, end: int, interval: float = 2.0):
        self.video, self.start, self.end, self.interval = video, start, end, interval
        self.last = 0.0

    def __call__(self, percent: float) -> None:
        now = time.monotonic()
        if now - self.last < self.interval and percent < 100:
            return
        self.last = now
        value = int(self.start + (self.end - self.start) * min(max(percent, 0), 100) / 100)
        if value != self.video.progress:
            self.video.progress = value
            db.session().commit()


def publish(video: Video, *, prefix: str, outputs: dict, renditions: list) -> None:
    """Point the row at one attempt's complete outputs: the single atomic step of publishing.

    Receivers of `published` (the lesson analysis) write in the same commit.
    """
    video.output_prefix = prefix
    video.outputs = outputs
    video.renditions = renditions
    video.quick_key = video.preview_key = None
    video.preview_complete = True
    video.progress = 100
    video.ready_at = utcnow()
    video.move_to(Status.READY)
    published.send(video)
    db.session().commit()


def fail(video_id: int, reason: str) -> None:
    video = db.session().get(Video, video_id)
    if video is not None and video.status in PENDING:
        video.move_to(Status.FAILED, reason)
        video.quick_key = video.preview_key = None
        video.preview_complete = True
    db.session().commit()


def requeue_for_retry(video_id: int) -> None:
    video = db.session().get(Video, video_id)
    if video is not None and video.status == Status.PROCESSING:
        video.move_to(Status.QUEUED)
    db.session().commit()


def stale_uploads(older_than) -> list[Video]:
    query = select(Video).where(Video.status == Status.UPLOADING, Video.created_at < older_than)
    return list(db.session().scalars(query))
