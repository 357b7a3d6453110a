"""Video pages: my list, the upload page, the watch page, and the media gateway."""

import re

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from webapp import access, permissions
from webapp.annotations import review
from webapp.coaching import services as coaching
from webapp.sharing import deletion
from webapp.video import services
from webapp.video.listing import list_context
from webapp.video.models import PENDING, Status, Video
from webapp.video.playback import media_url, playback
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
    """My videos, or my teachers' videos for a coach."""
    videos = services.visible_videos(current_user)
    return render_template("video/list.html", **list_context(videos, current_user))


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
    )


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
