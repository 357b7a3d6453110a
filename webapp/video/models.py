"""The Video row: the single source of truth for an upload's state and its published outputs."""

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.coaching.models import Cycle
from webapp.db import Base, utcnow


class Status(enum.StrEnum):
    UPLOADING = "uploading"
    QUEUED = "queued"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


# Which status may follow which; anything else is a bug, refused loudly.
TRANSITIONS = {
    Status.UPLOADING: {Status.QUEUED, Status.FAILED},
    Status.QUEUED: {Status.PROCESSING, Status.FAILED, Status.QUEUED},
    Status.PROCESSING: {Status.READY, Status.FAILED, Status.QUEUED},
    Status.READY: {Status.QUEUED},
    Status.FAILED: {Status.QUEUED},
}

PENDING = (Status.QUEUED, Status.PROCESSING)


def new_uuid() -> str:
    return uuid.uuid4().hex


class LessonDateSource(enum.StrEnum):
    """Where a lesson's date came from; only the owner's own choice is never overwritten."""

    UPLOAD = "upload"  # the day it was uploaded: the file said nothing
    RECORDING = "recording"  # the recording's creation time
    OWNER = "owner"  # set by the teacher


class Video(Base):
    __tablename__ = "videos"
    # The library pages through lessons by these two orders (webapp/library/listing.py).
    __table_args__ = (
        Index("ix_videos_lesson_date", "lesson_date", "id"),
        Index("ix_videos_activity_at", "activity_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uuid)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("cycles.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    # When the lesson was taught (not uploaded), and the class it was taught to.
    lesson_date: Mapped[date] = mapped_column(default=lambda: utcnow().date())
    lesson_date_source: Mapped[str] = mapped_column(
        String(20), default=LessonDateSource.UPLOAD, server_default=LessonDateSource.UPLOAD
    )
    class_name: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(100))
    grade: Mapped[str | None] = mapped_column(String(40))
    original_filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    source_key: Mapped[str] = mapped_column(String(600))
    upload_id: Mapped[str | None] = mapped_column(String(300))
    part_size: Mapped[int] = mapped_column(BigInteger, default=0)

    status: Mapped[str] = mapped_column(String(20), default=Status.UPLOADING, index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(default=0)
    attempt: Mapped[int] = mapped_column(default=0)

    duration_ms: Mapped[int | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    has_video: Mapped[bool | None]
    has_audio: Mapped[bool | None]
    # Where the published outputs of the successful attempt live, e.g. videos/<uuid>/r2/.
    output_prefix: Mapped[str | None] = mapped_column(String(300))
    # Keys relative to output_prefix, e.g. {"hls": "hls/master.m3u8", "mp4": "mp4/720.mp4"}.
    outputs: Mapped[dict] = mapped_column(JSON, default=dict)
    renditions: Mapped[list] = mapped_column(JSON, default=list)
    # A stream-copied MP4 that plays while the ladder is still being made (H.264 sources).
    quick_key: Mapped[str | None] = mapped_column(String(600))
    # Any other source: a fast single rendition published slice by slice while the ladder is
    # made (worker/preview.py). Its growing playlist, the slices published, and whether any
    # preview work is left (none once it is whole, not needed, or given up on).
    preview_key: Mapped[str | None] = mapped_column(String(600))
    preview_slices: Mapped[int] = mapped_column(default=0, server_default="0")
    preview_complete: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A caption or transcript WebVTT the owner uploaded, normalised and stored under the prefix.
    captions_key: Mapped[str | None] = mapped_column(String(600))
    # The captions are the lesson analysis's machine transcript, not the teacher's own file.
    captions_automatic: Mapped[bool] = mapped_column(default=False, server_default=false())

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # When the lesson last had a note or a reply (or was created): the library's "activity".
    activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_at: Mapped[datetime | None]
    ready_at: Mapped[datetime | None]
    # What the teacher confirmed at upload: when, and the school's consent policy as then worded.
    consent_confirmed_at: Mapped[datetime | None]
    consent_policy: Mapped[str | None] = mapped_column(Text)
    consent_policy_version: Mapped[int | None]

    owner: Mapped[User] = relationship(lazy="joined")
    cycle: Mapped[Cycle | None] = relationship(lazy="joined")  # the video page shows it

    @property
    def prefix(self) -> str:
        """Every object of this video lives under this prefix; deleting it removes them all."""
        return f"videos/{self.uuid}/"

    def move_to(self, status: Status, reason: str | None = None) -> None:
        if status not in TRANSITIONS[Status(self.status)]:
            raise ValueError(f"video {self.id}: {self.status} -> {status} is not allowed")
        if status == Status.QUEUED and self.status in (Status.READY, Status.FAILED):
            # Processed again from the start (a retry): the preview starts afresh too.
            self.preview_key, self.preview_slices, self.preview_complete = None, 0, False
        self.status = status
        self.failure_reason = reason if status == Status.FAILED else None
        if status == Status.QUEUED:
            self.progress = 0

    @property
    def playable(self) -> bool:
        return self.status == Status.READY or bool(self.quick_key or self.preview_key)

    @property
    def audited_video(self) -> "Video":
        """Whose audit a read of this object goes in (permissions.load)."""
        return self


class PartState(enum.StrEnum):
    WAITING = "waiting"  # planned; not on the queue yet (webapp/video/parts.py dispatches it)
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"


# The part of a long video that is not a chunk of its picture.
EXTRAS = -1


class EncodePart(Base):
    """One piece of a long video's ladder, encoded by any free worker (worker/chunks.py).

    Index 0… is a chunk of the picture (frames first_frame to first_frame + frames, or to the
    end when frames is null), every rung at once; EXTRAS is the audio (encoded once for the
    whole lesson), poster, storyboard and peaks. When every part of the attempt is done, one
    job assembles them into the same outputs as a single pass.
    """

    __tablename__ = "encode_parts"
    __table_args__ = (UniqueConstraint("video_id", "attempt", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int]
    index: Mapped[int]
    first_frame: Mapped[int] = mapped_column(default=0)
    frames: Mapped[int | None]
    state: Mapped[str] = mapped_column(String(20), default=PartState.WAITING, index=True)
    progress: Mapped[int] = mapped_column(default=0)
    runs: Mapped[int] = mapped_column(default=0)  # times started, so a killer file ends
    # What the extras part made, as Video.outputs names them (poster, thumbnails_vtt, peaks).
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    # When it was last put on the queue: the dispatcher serves teachers round-robin by it.
    dispatched_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
