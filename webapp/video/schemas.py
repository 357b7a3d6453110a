"""The video API's bodies and answers (DESIGN §6)."""

from datetime import date
from typing import Any, Literal

from pydantic import MISSING, Field, ValidationInfo, model_validator

from webapp.schemas import Body, Id, IsoDate, Out, Timestamp, UserRef
from webapp.video.models import Video
from webapp.video.playback import playback

# S3 numbers a multipart upload's parts 1 to 10,000.
MAX_PARTS = 10_000
# models.Status, spelled out: an enum class would be named "Status" in the shared document.
VideoStatusValue = Literal["uploading", "queued", "processing", "ready", "failed"]


# ---- requests ----


class VideoCreate(Body):
    """A recording about to be uploaded: what the browser knows of the file before sending it."""

    title: str = Field(min_length=1, max_length=200)
    filename: str = Field(
        min_length=1,
        max_length=1024,
        description="The file's own name; stored made safe, at most 120 characters",
    )
    size_bytes: int = Field(
        description="The file's exact size in bytes (at least 1); each part URL is signed for "
        "its share of it"
    )
    content_type: str = Field(
        "", max_length=255, description="The file's media type, e.g. video/mp4; may be empty"
    )
    cycle_id: Id | None = Field(None, description="One of my own coaching cycles")
    consent: bool | None = Field(
        None,
        description="true confirms the school's consent policy as worded now; when the school "
        "requires it, anything else answers 400 consent_required",
    )


class VideoUpdate(Body):
    """Only the fields sent change; `cycle_id: null` takes the video out of its cycle."""

    title: str | MISSING = Field(MISSING, min_length=1, max_length=200)
    cycle_id: Id | MISSING | None = Field(
        MISSING, description="One of my own coaching cycles, or null"
    )
    lesson_date: IsoDate | MISSING = Field(
        MISSING, description="The day the lesson was taught (YYYY-MM-DD), 2000 to today"
    )
    class_name: str | MISSING | None = Field(MISSING, max_length=100, description="Blank clears")
    subject: str | MISSING | None = Field(MISSING, max_length=100, description="Blank clears")
    grade: str | MISSING | None = Field(MISSING, max_length=40, description="Blank clears")


class CompletedPart(Body):
    part_number: int = Field(ge=1, le=MAX_PARTS)
    etag: str = Field(min_length=1, max_length=200, description="The ETag S3 answered the PUT with")


class UploadComplete(Body):
    parts: list[CompletedPart] = Field(
        max_length=MAX_PARTS, description="Every part of the file, each with its ETag"
    )


# ---- answers ----


class Playback(Out):
    """App URLs (never storage URLs): each checks access, then redirects to a short-lived one.

    Null when there is nothing of that kind to play yet.
    """

    hls: str | None
    mp4: str | None
    poster: str | None
    thumbnails_vtt: str | None
    peaks: str | None
    preview: str | None = Field(
        description="Set while the HLS URL is the preview still being prepared (a growing "
        "EVENT playlist, the same URL as hls): it plays from the start, and the complete "
        "stream replaces it once the video is ready"
    )


class Consent(Out):
    """What the teacher confirmed at upload, if anything."""

    confirmed_at: Timestamp | None
    policy_version: int | None = Field(description="The school's policy wording confirmed")


class Rendition(Out):
    """One rung of the HLS ladder."""

    height: int = Field(description="The label: the short side, e.g. 720")
    width: int = Field(description="The encoded width in pixels")
    pixel_height: int = Field(description="The encoded height in pixels")
    maxrate_kbps: int


class VideoOut(Out):
    """A video with its status, progress and playback URLs."""

    id: int
    title: str
    status: VideoStatusValue
    progress: int = Field(description="Percent of processing done, 0 to 100")
    error: str | None = Field(
        validation_alias="failure_reason", description="Why it failed, in words for the teacher"
    )
    duration_ms: int | None
    width: int | None
    height: int | None
    has_video: bool | None
    has_audio: bool | None
    owner: UserRef
    cycle_id: int | None
    lesson_date: date = Field(description="The day the lesson was taught")
    lesson_date_source: Literal["upload", "recording", "owner"] = Field(
        description="Where the lesson date came from: the upload day, the recording's own "
        "creation time, or the owner"
    )
    class_name: str | None
    subject: str | None
    grade: str | None
    activity_at: Timestamp = Field(description="When the lesson last had a note or reply")
    filename: str = Field(
        validation_alias="original_filename", description="The uploaded file's name, made safe"
    )
    size_bytes: int
    renditions: list[Rendition]
    created_at: Timestamp
    playback: Playback
    consent: Consent

    @model_validator(mode="before")
    @classmethod
    def _from_row(cls, value: Any, info: ValidationInfo) -> Any:
        """A Video row's columns, and what its answer nests or derives from them.

        The playback URLs point at the app's media gateway, so they are made with url_for and
        exist only inside a request, where every answer is validated. They are built here, in
        the one place a row becomes a `VideoOut`, by the same `playback()` the watch page
        uses, rather than by a field_serializer: so the model holds exactly the JSON it sends
        (URLs, not storage names), and its schema in the document is what the client gets.
        What no row holds (VideoCreated's upload plan) comes in the validation context.
        """
        if not isinstance(value, Video):
            return value
        data = {
            "consent": {
                "confirmed_at": value.consent_confirmed_at,
                "policy_version": value.consent_policy_version,
            },
            "playback": playback(value),
            "renditions": value.renditions or [],  # none until processed
            **(info.context or {}),
        }
        for name, field in cls.model_fields.items():
            if name not in data:
                column = field.validation_alias or name  # a plain rename: a column's name
                data[column] = getattr(value, column)
        return data


class VideoList(Out):
    videos: list[VideoOut] = Field(description="In the order asked for, at most 25")
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` for the next page; null on the last page"
    )


class PartTarget(Out):
    """Where to PUT one part: the URL admits a body of exactly `size` bytes."""

    part_number: int
    size: int
    url: str


class StoredPart(Out):
    """A part S3 already holds; a reload keeps it when it is whole."""

    part_number: int
    etag: str
    size: int


class UploadPlan(Out):
    """Fresh URLs for every part, and the parts already stored (so a reload resumes)."""

    upload_id: str
    part_size: int = Field(description="Every part but the last is this many bytes")
    expires_in: int = Field(description="Seconds each part URL stays valid")
    parts: list[PartTarget]
    uploaded: list[StoredPart]


class VideoCreated(VideoOut):
    """The video just created, and where to send its parts."""

    upload: UploadPlan


class UploadAccepted(Out):
    """The bytes are in: `queued` for processing, or `failed` with the reason."""

    id: int
    status: VideoStatusValue
    error: str | None = Field(validation_alias="failure_reason")
