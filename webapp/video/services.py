"""Video operations for pages, the API, the CLI and jobs. They flush; callers commit.

Side effects that must not outlive a rolled-back row (enqueueing, deleting stored objects)
are registered with `after_commit` (`queue()`, `delete_video()`) and run once it commits.
"""

import math
import mimetypes
import re
from collections.abc import Sequence
from functools import partial
from pathlib import PurePath

from flask import current_app
from sqlalchemy import func, select

from webapp import db
from webapp.auth.models import User
from webapp.coaching.models import Cycle
from webapp.db import utcnow
from webapp.errors import Conflict, DebriefError, ValidationError
from webapp.transaction import after_commit
from webapp.video.models import Status, Video
from webapp.video.queueing import enqueue_processing
from webapp.video.storage import MIB, storage

# A part URL lives as long as one part takes at a slow school uplink (1 Mbit/s: 16 MiB in
# 2 min 15 s, 64 MiB in 9 min) plus 5 minutes; the uploader asks for fresh URLs before then.
SLOW_UPLINK_BYTES_PER_S = 1_000_000 // 8
PART_URL_MARGIN_S = 300
VIDEO_EXTENSIONS = {
    ".mov",
    ".mp4",
    ".m4v",
    ".webm",
    ".mkv",
    ".avi",
    ".3gp",
    ".mpg",
    ".mpeg",
    ".ts",
    ".mts",
    ".m2ts",
    ".wmv",
    ".flv",
    ".ogv",
    ".m4a",
    ".mp3",
    ".wav",
    ".aac",
    ".ogg",
    ".oga",
    ".opus",
    ".flac",
    ".wma",
    ".caf",
    ".amr",
}


def human_size(size: int) -> str:
    if size == 1:
        return "1 byte"
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


def part_size_for(size_bytes: int) -> int:
    """16 MiB parts for most recordings, larger for very long ones (always 16 to 64 MiB)."""
    if size_bytes <= 2 * 1024 * MIB:
        return 16 * MIB
    if size_bytes <= 4 * 1024 * MIB:
        return 32 * MIB
    return 64 * MIB


def part_url_seconds(part_size: int) -> int:
    return math.ceil(part_size / SLOW_UPLINK_BYTES_PER_S) + PART_URL_MARGIN_S


def part_lengths(video: Video) -> list[int]:
    """The exact byte length of each part, the last one shorter."""
    count = max(1, math.ceil(video.size_bytes / video.part_size))
    return [min(video.part_size, video.size_bytes - i * video.part_size) for i in range(count)]


class QuotaExceeded(DebriefError):
    status = 413
    code = "quota_exceeded"


def _check_quota(owner: User, size_bytes: int) -> None:
    """Refuse, before any byte moves, an upload that would take the teacher over their quota.

    Counts every video's declared size except uploads refused on arrival (their bytes are gone).
    """
    limit = current_app.config["MAX_USER_BYTES"]
    refused = (Video.status == Status.FAILED) & Video.uploaded_at.is_(None)
    used = db.session().scalar(
        select(func.coalesce(func.sum(Video.size_bytes), 0)).where(
            Video.owner_id == owner.id, ~refused
        )
    )
    if used + size_bytes > limit:
        raise QuotaExceeded(
            f"This file is {human_size(size_bytes)} but only {human_size(max(0, limit - used))} "
            f"of your {human_size(limit)} of storage is free. Delete recordings you no longer "
            "need, or ask your program admin for more space.",
            {"size_bytes": "Over your storage quota."},
        )


def safe_filename(filename: str) -> str:
    """Keep a recognisable name for the object key without path tricks or odd characters."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\- ]+", "_", name).strip(" .") or "recording"
    return name[-120:]


# type/subtype of RFC 9110 token characters, short enough for the column; no CR, LF or space.
MEDIA_TYPE_RE = re.compile(r"[a-z0-9!#$&^_.+-]{1,40}/[a-z0-9!#$&^_.+-]{1,50}")


def check_upload_request(filename: str, size_bytes: int, content_type: str) -> str:
    """Refuse, before any byte moves, a file that is too large or clearly not a recording."""
    max_bytes = current_app.config["MAX_UPLOAD_BYTES"]
    extension = PurePath(filename).suffix.lower()
    content_type = content_type.split(";")[0].strip().lower()
    if content_type and not MEDIA_TYPE_RE.fullmatch(content_type):  # it becomes an S3 header
        raise ValidationError(
            "content_type must be a media type such as video/mp4.",
            {"content_type": "Not a media type."},
        )
    guessed = mimetypes.guess_type(filename)[0] or ""
    if size_bytes <= 0:  # an empty file: the schema leaves it here, for this advice
        raise ValidationError(
            "This file is empty. Choose the recording again.",
            {"size_bytes": "Must be a positive number of bytes."},
        )
    if size_bytes > max_bytes:
        raise ValidationError(
            f"This file is {human_size(size_bytes)}; the limit is {human_size(max_bytes)}. "
            "Trim the recording or export it at a lower quality.",
            {"size_bytes": "Too large."},
        )
    media_type = content_type.startswith(("video/", "audio/")) or guessed.startswith(
        ("video/", "audio/")
    )
    if not media_type and extension not in VIDEO_EXTENSIONS:
        raise ValidationError(
            f"{safe_filename(filename)} does not look like a video or audio recording. "
            "Choose a video file such as .mov, .mp4 or .webm.",
            {"filename": "Not a video or audio file."},
        )
    if content_type.startswith(("video/", "audio/")):
        return content_type
    return guessed if guessed.startswith(("video/", "audio/")) else "application/octet-stream"


def check_title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > 200:
        raise ValidationError("Give the video a title.", {"title": "Enter 1 to 200 characters."})
    return title


def check_cycle(owner: User, cycle_id: int | None) -> Cycle | None:
    if cycle_id is None:
        return None
    cycle = db.session().get(Cycle, cycle_id)
    if cycle is None or cycle.teacher_id != owner.id:
        raise ValidationError(
            "Choose one of your own coaching cycles.", {"cycle_id": "Not one of your cycles."}
        )
    return cycle


def create_video(
    owner: User,
    *,
    title: str,
    filename: str,
    size_bytes: int,
    content_type: str = "",
    cycle_id: int | None = None,
) -> Video:
    """Create the row for an upload that is about to start."""
    content_type = check_upload_request(filename, size_bytes, content_type)
    _check_quota(owner, size_bytes)
    video = Video(
        owner=owner,
        title=check_title(title),
        original_filename=safe_filename(filename),
        content_type=content_type,
        size_bytes=size_bytes,
        cycle=check_cycle(owner, cycle_id),
        part_size=part_size_for(size_bytes),
        source_key="",
    )
    db.session().add(video)
    db.session().flush()
    video.source_key = f"{video.prefix}source/{video.original_filename}"
    return video


def start_multipart(video: Video) -> None:
    """Open the S3 multipart upload the browser will send its parts to."""
    video.upload_id = storage().start_multipart(video.source_key, video.content_type)


def upload_plan(video: Video) -> dict:
    """Part URLs for every part, and the parts S3 already holds (so a reload resumes).

    Each URL admits exactly its part's `size` bytes; `expires_in` says how long URLs last.
    """
    if video.status != Status.UPLOADING or not video.upload_id:
        raise Conflict("This video is not waiting for an upload.")
    store = storage()
    expires = part_url_seconds(video.part_size)
    stored = store.list_parts(video.source_key, video.upload_id)
    return {
        "upload_id": video.upload_id,
        "part_size": video.part_size,
        "expires_in": expires,
        "parts": [
            {
                "part_number": n,
                "size": size,
                "url": store.sign_part(video.source_key, video.upload_id, n, size, expires),
            }
            for n, size in enumerate(part_lengths(video), start=1)
        ],
        "uploaded": [
            {"part_number": p.part_number, "etag": p.etag, "size": p.size} for p in stored
        ],
    }


def complete_upload(video: Video, parts: Sequence[tuple[int, str]]) -> None:
    """Assemble the parts, check the object really is the file announced, then queue it.

    `parts` are (part number, ETag) pairs, in any order.
    """
    if video.status != Status.UPLOADING or not video.upload_id:
        raise Conflict("This upload is already complete.")
    if not parts:
        raise ValidationError("Send the list of uploaded parts.", {"parts": "Required."})
    numbered = sorted(parts)
    expected = math.ceil(video.size_bytes / video.part_size)
    if [n for n, _ in numbered] != list(range(1, expected + 1)):
        raise ValidationError(
            f"The upload is incomplete: expected parts 1 to {expected}.",
            {"parts": "Missing parts."},
        )
    store = storage()
    stored = {p.part_number: p for p in store.list_parts(video.source_key, video.upload_id)}
    missing = [n for n, etag in numbered if n not in stored or stored[n].etag != etag.strip('"')]
    if missing:
        raise ValidationError(
            f"Parts {', '.join(map(str, missing[:10]))} did not reach storage intact; "
            "upload them again.",
            {"parts": "Not stored."},
        )
    arrived = sum(p.size for p in stored.values())
    if [stored[n].size for n, _ in numbered] != part_lengths(video) or arrived != video.size_bytes:
        # Refused bytes never stay in the bucket, whatever becomes of this row.
        store.abort_multipart(video.source_key, video.upload_id)
        video.upload_id = None
        video.move_to(Status.FAILED, _mismatch_reason(arrived, video.size_bytes))
        return
    store.complete_multipart(video.source_key, video.upload_id, numbered)
    video.upload_id = None
    _verify_source(video)


def _mismatch_reason(arrived: int, declared: int) -> str:
    return (
        f"The upload arrived as {human_size(arrived)}, not the {human_size(declared)} announced. "
        "Upload the recording again."
    )


def _verify_source(video: Video) -> None:
    """HEAD the stored object: its size must match and stay within the limit; else delete it.

    Refused bytes are deleted at once, whatever becomes of this row: they must not stay in
    the bucket counting against nobody's quota.
    """
    info = storage().head(video.source_key)
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if info.size > limit or info.size != video.size_bytes:
        storage().delete_keys([video.source_key])
        video.move_to(Status.FAILED, _mismatch_reason(info.size, video.size_bytes))
    else:
        video.uploaded_at = utcnow()
        queue(video)


class _CountingReader:
    """Wrap a request stream: count bytes and stop at the size limit."""

    def __init__(self, stream, limit: int):
        self.stream, self.limit, self.count = stream, limit, 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.count += len(chunk)
        if self.count > self.limit:
            raise ValidationError(
                f"The upload is larger than the limit of {human_size(self.limit)}."
            )
        return chunk


def put_source(video: Video, stream, content_length: int | None) -> None:
    """Stream a raw request body to storage with flat memory, then queue the video."""
    if video.status != Status.UPLOADING:
        raise Conflict("This video already has its recording.")
    limit = min(current_app.config["MAX_UPLOAD_BYTES"], video.size_bytes)
    if content_length is not None and content_length != video.size_bytes:
        raise ValidationError(
            f"The body is {content_length} bytes but the video was created with "
            f"size_bytes={video.size_bytes}.",
            {"size_bytes": "Does not match Content-Length."},
        )
    if video.upload_id:
        storage().abort_multipart(video.source_key, video.upload_id)
        video.upload_id = None
    reader = _CountingReader(stream, limit)
    storage().put_stream(video.source_key, reader, video.content_type, size_hint=limit)
    _verify_source(video)


def retry(video: Video) -> None:
    """Queue a failed video again from its stored source."""
    if video.status != Status.FAILED:
        raise Conflict("Only a video whose processing failed can be retried.")
    if video.uploaded_at is None:
        raise Conflict("This video never finished uploading; upload the recording again.")
    queue(video)


def queue(video: Video) -> None:
    """Queue the video for processing: its job is enqueued once the status has committed."""
    video.move_to(Status.QUEUED)
    after_commit(partial(enqueue_processing, video))


def delete_video(video: Video) -> None:
    """Remove the row; its stored objects go once that is committed (kept on a rollback)."""
    after_commit(partial(delete_objects, video.source_key, video.upload_id, video.prefix))
    db.session().delete(video)


def delete_objects(source_key: str, upload_id: str | None, prefix: str) -> int:
    """Abort any open multipart upload and delete every object under the video's prefix."""
    if upload_id:
        storage().abort_multipart(source_key, upload_id)
    return storage().delete_prefix(prefix)
