"""JSON API for annotations, replies and their exports."""

import re
from datetime import datetime

from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask_login import current_user, login_required

from webapp import permissions
from webapp.annotations import exports, review, services, timeline_cache, transcripts
from webapp.annotations.models import Annotation
from webapp.db import utcnow
from webapp.errors import ValidationError
from webapp.http import body_limit, json_body, query_int
from webapp.video.models import Video

api = Blueprint("annotations_api", __name__, url_prefix="/api/v1")

FORM_OVERHEAD = 64 * 1024  # a multipart caption upload's boundaries and headers
PAGE_SIZE, MAX_PAGE_SIZE = 500, 1000
CURSOR_RE = re.compile(r"([0-9]{1,10})\.([0-9]{1,10})")  # "start_ms.id" of a page's last note


def _since() -> datetime | None:
    value = request.args.get("since")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        raise ValidationError("since must be an ISO timestamp.", {"since": "Bad time."}) from None


def _page() -> tuple[tuple[int, int] | None, int] | None:
    """(after, limit) when ?cursor= or ?limit= asks for one page; None for the whole list."""
    cursor = request.args.get("cursor")
    if cursor is None and "limit" not in request.args:
        return None
    limit = query_int("limit", PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    if not cursor:
        return None, limit
    match = CURSOR_RE.fullmatch(cursor)
    if match is None:
        raise ValidationError(
            "cursor must be a next_cursor this list answered.", {"cursor": "Unknown cursor."}
        )
    return (int(match[1]), int(match[2])), limit


@api.get("/videos/<int:video_id>/annotations")
@login_required
def list_annotations(video_id: int):
    """Annotations and replies in time order; with ?since=, only what changed (for polling).

    ?limit= and ?cursor= page through the list (next_cursor is null on the last page), with
    or without ?since=. Without them the whole list comes at once, for the review page: it is
    bounded by MAX_NOTES_PER_VIDEO, cached in Redis and revalidated by its ETag.
    """
    video = permissions.load(Video, video_id)
    now = utcnow()
    since, page = _since(), _page()
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


def _timeline_response(notes: bytes, now, next_cursor: str | None = None) -> Response:
    cursor = f'"{next_cursor}"' if next_cursor else "null"
    body = (b'{"annotations":' + notes + b',"next_cursor":' + cursor.encode()
            + b',"server_time":"' + now.isoformat().encode() + b'Z"}')  # fmt: skip
    return current_app.response_class(body, mimetype="application/json")


@api.post("/videos/<int:video_id>/annotations/read")
@login_required
def mark_read(video_id: int):
    """I have seen this video's conversation up to now (clears its unread count)."""
    video = permissions.load(Video, video_id)
    review.mark_read(video, current_user)
    return "", 204


@api.post("/videos/<int:video_id>/annotations")
@login_required
def create_annotation(video_id: int):
    """Mark a moment or range, or reply to a thread (parent_id)."""
    video = permissions.load(Video, video_id)
    annotation = services.create(video, current_user, json_body())
    return jsonify(annotation.to_json()), 201


@api.patch("/annotations/<int:annotation_id>")
@login_required
def update_annotation(annotation_id: int):
    """Edit my note, or resolve / reopen a thread."""
    annotation = permissions.load(Annotation, annotation_id)
    services.update(annotation, current_user, json_body())
    return jsonify(annotation.to_json())


@api.delete("/annotations/<int:annotation_id>")
@login_required
def delete_annotation(annotation_id: int):
    """Delete my note (and, for a thread, its replies)."""
    annotation = permissions.load(Annotation, annotation_id, edit=True)
    services.delete(annotation)
    return "", 204


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
def annotations_vtt(video_id: int):
    """A WebVTT metadata track: one cue per annotation with a JSON payload."""
    video = permissions.load(Video, video_id)
    moves, goals = _lookups(video)
    items = services.visible_annotations(video, current_user)
    body = exports.to_vtt(items, video.duration_ms or 0, moves, goals)
    if request.args.get("inline") == "1":  # for <track src>, which cannot follow an attachment
        return Response(body, mimetype="text/vtt")
    return _download(body, "text/vtt", video, "vtt")


@api.get("/videos/<int:video_id>/annotations.csv")
@login_required
def annotations_csv(video_id: int):
    """One row per annotation, safe to open in a spreadsheet.

    A sheet is easily forwarded, so my "only me" notes are left out unless I ask for them with
    ?private=1 (its "private" column then marks them). Links use BASE_URL, never the Host
    header a request may forge.
    """
    video = permissions.load(Video, video_id)
    moves, goals = _lookups(video)
    with_private = request.args.get("private") == "1"
    items = [a for a in services.visible_annotations(video, current_user)
             if with_private or not a.private]  # fmt: skip
    base_url = current_app.config["BASE_URL"]

    def link(annotation: Annotation) -> str:
        path = url_for("video_pages.show", video_id=video.id, _anchor=f"t={annotation.start_ms}")
        return base_url + path

    return _download(exports.to_csv(items, moves, goals, link), "text/csv", video, "csv")


@api.put("/videos/<int:video_id>/captions")
@body_limit(lambda config: transcripts.MAX_CAPTION_BYTES + FORM_OVERHEAD)
@login_required
def put_captions(video_id: int):
    """Attach a WebVTT or SRT caption/transcript file (raw body or form field "file").

    At most one byte past the limit is read (a chunked body too), so an oversized file is
    refused without being held in memory.
    """
    video = permissions.load(Video, video_id, edit=True)
    upload = request.files.get("file")
    if upload is not None:
        raw, filename = upload.read(transcripts.MAX_CAPTION_BYTES + 1), upload.filename or ""
    else:
        raw = request.stream.read(transcripts.MAX_CAPTION_BYTES + 1)
        filename = request.args.get("filename", "")
    count = transcripts.attach(video, raw, filename)
    url = url_for("video_pages.media", video_id=video.id, name="captions.vtt")
    return jsonify({"cues": count, "url": url}), 201


@api.delete("/videos/<int:video_id>/captions")
@login_required
def delete_captions(video_id: int):
    """Remove the captions."""
    video = permissions.load(Video, video_id, edit=True)
    transcripts.detach(video)
    return "", 204
