"""Video pages: my list, the upload page, the watch page, and the media gateway."""

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp import access, permissions
from webapp.annotations import review
from webapp.coaching import services as coaching
from webapp.errors import DebriefError, ValidationError
from webapp.http import form_id
from webapp.library.listing import LibraryQuery, filter_choices, page_of_videos
from webapp.openapi import parse
from webapp.sharing import deletion
from webapp.transaction import on_error
from webapp.video import details, services
from webapp.video.listing import list_context
from webapp.video.models import PENDING, Status, Video
from webapp.video.playback import media_url, playback
from webapp.video.schemas import VideoUpdate
from webapp.video.storage import storage

bp = Blueprint("video_pages", __name__, template_folder="templates")

MEDIA_SECONDS = 600
# What the media gateway serves, relative to the published prefix; nothing else is reachable.
MEDIA_NAME = re.compile(
    r"^(hls/[\w\-]+(/[\w\-]+)*\.(m3u8|m4s|mp4)|mp4/\w+\.mp4|quick\.mp4|poster\.jpg"
    r"|thumbs/[\w\-]+\.jpg|thumbs\.vtt|peaks\.json|captions\.vtt"
    r"|preview/(index\.m3u8|init_\d+\.mp4|seg_\d+_\d+\.m4s))$"
)
TEXT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
}
# Media goes from the store's origin with a type we name, whatever the object's metadata says.
MEDIA_TYPES = {".mp4": "video/mp4", ".m4s": "video/iso.segment", ".jpg": "image/jpeg"}


@bp.get("/videos")
@login_required
def list_videos():
    """The library: my lessons, my teachers' and those shared with me, filtered and paged.

    A filter that makes no sense (a date typed wrongly, an old page link) says so above the
    unfiltered list, rather than answering an error page.
    """
    problem = None
    try:
        query = parse(LibraryQuery, request.args.to_dict())
        page = page_of_videos(current_user, query)
    except ValidationError as err:
        problem, query = err.message, LibraryQuery()
        page = page_of_videos(current_user, query)
    return render_template(
        "video/list.html",
        query=query,
        problem=problem,
        next_cursor=page.next_cursor,
        choices=filter_choices(current_user),
        **list_context(page.videos, current_user),
    )


@bp.get("/videos/upload")
@login_required
def upload():
    """The upload page: pick or drop recordings, see each one's progress."""
    cycles = [c for c in coaching.cycles_for(current_user) if c.teacher_id == current_user.id]
    extensions = sorted(e.lstrip(".") for e in services.VIDEO_EXTENSIONS)
    return render_template("video/upload.html", cycles=cycles, extensions=extensions)


@bp.get("/videos/<int:video_id>")
@login_required
def show(video_id: int):
    """Watch a video; while it processes, show its progress."""
    video = permissions.load(Video, video_id)
    ready = video.status == Status.READY
    return render_template(
        "video/show.html",
        video=video,
        urls=playback(video),
        captions_url=media_url(video, "captions.vtt") if video.captions_key else None,
        review=review.review_context(video, current_user) if ready else None,
        can_edit=access.can_edit_video(current_user, video),
        own_cycles=_own_cycles(video),
    )


def _own_cycles(video: Video) -> list:
    """(id, title) of the cycles the owner may file the lesson under: their own."""
    if not access.can_edit_video(current_user, video):
        return []
    cycles = coaching.cycles_for(current_user)
    return [(c.id, c.title) for c in cycles if c.teacher_id == current_user.id]


def _details_not_saved(err: DebriefError, video_id: int):
    flash(f"{err.message} {' '.join(err.fields.values())}".strip(), "error")
    return redirect(url_for("video_pages.show", video_id=video_id) + "#details-h")


@bp.post("/videos/<int:video_id>/details")
@login_required
@on_error(_details_not_saved)
def update_details(video_id: int):
    """Save a lesson's title, lesson date, class, subject, grade and cycle (the owner only)."""
    video = permissions.load(Video, video_id, edit=True)
    form, fields = request.form, ("title", "lesson_date", "class_name", "subject", "grade")
    changes = {name: form[name] for name in fields if name in form}  # what the form sent
    if "cycle_id" in form:
        changes["cycle_id"] = form_id(form["cycle_id"])
    details.update_video(video, parse(VideoUpdate, changes))
    flash("Saved the lesson's details.", "success")
    return redirect(url_for("video_pages.show", video_id=video.id))


@bp.post("/videos/<int:video_id>/retry")
@login_required
def retry(video_id: int):
    """Process a failed video again."""
    video = permissions.load(Video, video_id, edit=True)
    services.retry(video)
    flash("Processing again. This page updates by itself.", "info")
    return redirect(url_for("video_pages.show", video_id=video.id))


@bp.post("/videos/<int:video_id>/delete")
@login_required
def delete(video_id: int):
    """Delete the video and every stored copy of it."""
    video = permissions.load(Video, video_id, edit=True)
    title = video.title
    deletion.delete_video(video, current_user)
    flash(f"Deleted “{title}” and all its copies.", "success")
    return redirect(url_for("video_pages.list_videos"))


@bp.get("/videos/<int:video_id>/original")
@login_required
def original(video_id: int):
    """Download the original recording (the owner only)."""
    video = permissions.load(Video, video_id, edit=True)
    if video.uploaded_at is None:
        abort(404)
    url = storage().presigned_get(
        video.source_key, MEDIA_SECONDS, download_name=video.original_filename
    )
    return redirect(url)


@bp.get("/videos/<int:video_id>/thumbnail.jpg")
@login_required
def thumbnail(video_id: int):
    """The poster beside a lesson in a list: the same access as watching, but listing is not
    watching, so the owner's audit records no view."""
    video = permissions.load(Video, video_id, listing=True)
    poster = (video.outputs or {}).get("poster")
    if video.status != Status.READY or not poster or not video.output_prefix:
        abort(404)
    key = video.output_prefix + poster
    response = redirect(storage().presigned_get(key, MEDIA_SECONDS, content_type="image/jpeg"))
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/videos/<int:video_id>/media/<path:name>")
@login_required
def media(video_id: int, name: str):
    """Check access on every request; serve playlists, redirect media to short-lived URLs."""
    video = permissions.load(Video, video_id)
    if not MEDIA_NAME.match(name) or ".." in name:
        abort(404)
    if name == "quick.mp4":
        key = video.quick_key
    elif name == "captions.vtt":
        key = video.captions_key
    elif name.startswith("preview/"):
        key = video.prefix + name if video.preview_key and video.status in PENDING else None
    elif video.status == Status.READY and video.output_prefix:
        key = video.output_prefix + name
    else:
        key = None
    if not key:
        abort(404)
    suffix = name[name.rfind(".") :]
    if suffix in TEXT_TYPES:
        # Playlists are tiny and must be served from here so their relative URLs come back here.
        try:
            body = storage().read(key)
        except FileNotFoundError:
            abort(404)
        response = Response(body, content_type=TEXT_TYPES[suffix])
        response.headers["Cache-Control"] = "private, no-store"
        return response
    return redirect(storage().presigned_get(key, MEDIA_SECONDS, content_type=MEDIA_TYPES[suffix]))
