"""JSON API for annotations, replies and their exports."""

from datetime import datetime

from flask import Blueprint, Response, current_app, request, url_for
from flask_login import current_user, login_required
from pydantic import MISSING

from webapp import permissions
from webapp.annotations import exports, review, services, timeline_cache, transcripts
from webapp.annotations.models import Annotation
from webapp.annotations.schemas import (
    AnnotationCreate,
    AnnotationOut,
    AnnotationTimeline,
    AnnotationUpdate,
    Captions,
    CaptionsQuery,
    CsvQuery,
    TimelineQuery,
    VttQuery,
)
from webapp.db import utcnow
from webapp.http import body_limit
from webapp.openapi import operation
from webapp.schemas import rfc3339
from webapp.video.models import Video

api = Blueprint("annotations_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Annotations"

FORM_OVERHEAD = 64 * 1024  # a multipart caption upload's boundaries and headers
CAPTION_FILE = {"type": "string", "format": "binary"}
CAPTION_BODIES = {  # any other media type is read as the raw file too
    "application/octet-stream": {"schema": CAPTION_FILE},
    "text/vtt": {"schema": {"type": "string"}},
    "multipart/form-data": {
        "schema": {
            "type": "object",
            "properties": {"file": {**CAPTION_FILE, "description": "The .vtt or .srt file"}},
            "required": ["file"],
        }
    },
}


@api.get("/videos/<int:video_id>/annotations")
@login_required
@operation(query=TimelineQuery, response=AnnotationTimeline, not_modified=True, errors=(404,))
def list_annotations(video_id: int, query: TimelineQuery):
    """Annotations and replies in time order; with ?since=, only what changed (for polling).

    ?limit= and ?cursor= page through the list (next_cursor is null on the last page), with
    or without ?since=. Without them the whole list comes at once, for the review page: it is
    bounded by MAX_NOTES_PER_VIDEO, cached in Redis and revalidated by its ETag.
    """
    video = permissions.load(Video, video_id)
    now = utcnow()
    since = None if query.since is MISSING else query.since
    page = query.page()
    if page is not None:
        notes, last = services.timeline_page(video, current_user, since, *page)
        return _timeline_response(notes, now, f"{last[0]}.{last[1]}" if last else None)
    if since is not None:  # polling: a handful of changes
        return _timeline_response(services.timeline(video, current_user, since), now)
    key = timeline_cache.cache_key(video, current_user)
    tag = timeline_cache.etag(key) if key else None
    if tag and tag in request.if_none_match:
        response = current_app.response_class(status=304, mimetype="application/json")
    else:
        notes = timeline_cache.whole_timeline(video, current_user, key)
        response = _timeline_response(notes, now)
    if tag:
        response.set_etag(tag)
        response.headers["Cache-Control"] = "private, no-cache"  # revalidate every time
    return response


def _timeline_response(notes: bytes, now: datetime, next_cursor: str | None = None) -> Response:
    """An AnnotationTimeline around the notes the database wrote as JSON (timeline_json)."""
    cursor = f'"{next_cursor}"' if next_cursor else "null"  # digits and a dot: nothing to escape
    body = (b'{"annotations":' + notes + b',"next_cursor":' + cursor.encode()
            + b',"server_time":"' + rfc3339(now).encode() + b'"}')  # fmt: skip
    return current_app.response_class(body, mimetype="application/json")


@api.post("/videos/<int:video_id>/annotations/read")
@login_required
@operation(status=204, errors=(404,))
def mark_read(video_id: int):
    """I have seen this video's conversation up to now (clears its unread count)."""
    video = permissions.load(Video, video_id)
    review.mark_read(video, current_user)


@api.post("/videos/<int:video_id>/annotations")
@login_required
@operation(body=AnnotationCreate, response=AnnotationOut, status=201, errors=(403, 404, 429))
def create_annotation(video_id: int, body: AnnotationCreate):
    """Mark a moment or range, or reply to a thread (parent_id).

    Each video holds at most MAX_NOTES_PER_VIDEO notes, and each person adds at most
    NOTES_PER_MINUTE a minute (429 with Retry-After).
    """
    video = permissions.load(Video, video_id)
    return AnnotationOut.model_validate(services.create(video, current_user, body))


@api.patch("/annotations/<int:annotation_id>")
@login_required
@operation(body=AnnotationUpdate, response=AnnotationOut, errors=(403, 404))
def update_annotation(annotation_id: int, body: AnnotationUpdate):
    """Edit my note, or resolve / reopen a thread."""
    annotation = permissions.load(Annotation, annotation_id)
    services.update(annotation, current_user, body.sent())
    return AnnotationOut.model_validate(annotation)


@api.delete("/annotations/<int:annotation_id>")
@login_required
@operation(status=204, errors=(403, 404))
def delete_annotation(annotation_id: int):
    """Delete my note (and, for a thread, its replies)."""
    annotation = permissions.load(Annotation, annotation_id, edit=True)
    services.delete(annotation)


def _lookups(video: Video) -> tuple[dict, dict]:
    """The video's moves and goals by id, for the exports' names."""
    moves = {m.id: m for m in review.video_framework(video).moves}
    return moves, {g.id: g for g in review.cycle_goals(video)}


def _download(body: str, mimetype: str, video: Video, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = f"debrief-video-{video.id}-annotations.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@api.get("/videos/<int:video_id>/annotations.vtt")
@login_required
@operation(query=VttQuery, content="text/vtt", errors=(404,))
def annotations_vtt(video_id: int, query: VttQuery):
    """A WebVTT metadata track: one cue per annotation with a JSON payload.

    Each cue's text is the annotation as the API answers it, plus its move (code, name,
    colour) and goal (statement) spelt out.
    """
    video = permissions.load(Video, video_id)
    moves, goals = _lookups(video)
    items = services.visible_annotations(video, current_user)
    body = exports.to_vtt(items, video.duration_ms or 0, moves, goals)
    if query.inline:  # for <track src>, which cannot follow an attachment
        return Response(body, mimetype="text/vtt")
    return _download(body, "text/vtt", video, "vtt")


@api.get("/videos/<int:video_id>/annotations.csv")
@login_required
@operation(query=CsvQuery, content="text/csv", errors=(404,))
def annotations_csv(video_id: int, query: CsvQuery):
    """One row per annotation, safe to open in a spreadsheet.

    A sheet is easily forwarded, so my "only me" notes are left out unless I ask for them with
    ?private=1 (its "private" column then marks them). Links use BASE_URL, never the Host
    header a request may forge.
    """
    video = permissions.load(Video, video_id)
    moves, goals = _lookups(video)
    items = [a for a in services.visible_annotations(video, current_user)
             if query.private or not a.private]  # fmt: skip
    base_url = current_app.config["BASE_URL"]

    def link(annotation: Annotation) -> str:
        path = url_for("video_pages.show", video_id=video.id, _anchor=f"t={annotation.start_ms}")
        return base_url + path

    return _download(exports.to_csv(items, moves, goals, link), "text/csv", video, "csv")


@api.put("/videos/<int:video_id>/captions")
@body_limit(lambda config: transcripts.MAX_CAPTION_BYTES + FORM_OVERHEAD)
@login_required
@operation(
    query=CaptionsQuery,
    response=Captions,
    status=201,
    errors=(403, 404, 413),
    request_content=CAPTION_BODIES,
)
def put_captions(video_id: int, query: CaptionsQuery):
    """Attach a WebVTT or SRT caption/transcript file (raw body or form field "file").

    The file may be at most 2 MB. At most one byte past the limit is read (a chunked body
    too), so an oversized file is refused without being held in memory.
    """
    video = permissions.load(Video, video_id, edit=True)
    upload = request.files.get("file")
    if upload is not None:
        raw, filename = upload.read(transcripts.MAX_CAPTION_BYTES + 1), upload.filename or ""
    else:
        raw = request.stream.read(transcripts.MAX_CAPTION_BYTES + 1)
        filename = query.filename
    count = transcripts.attach(video, raw, filename)
    url = url_for("video_pages.media", video_id=video.id, name="captions.vtt")
    return Captions(cues=count, url=url)


@api.delete("/videos/<int:video_id>/captions")
@login_required
@operation(status=204, errors=(403, 404))
def delete_captions(video_id: int):
    """Remove the captions."""
    video = permissions.load(Video, video_id, edit=True)
    transcripts.detach(video)
