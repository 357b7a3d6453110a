"""JSON API for videos: create an upload, resume it, complete it, stream a source, manage."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from webapp import permissions
from webapp.http import body_limit, json_body, optional_int, require_fields
from webapp.sharing import deletion, policies
from webapp.video import services
from webapp.video.models import Video
from webapp.video.serialize import video_json

api = Blueprint("video_api", __name__, url_prefix="/api/v1")


@api.get("/videos")
@login_required
def list_videos():
    """Videos visible to me: mine and those of teachers I coach."""
    return jsonify({"videos": [video_json(v) for v in services.visible_videos(current_user)]})


@api.post("/videos")
@login_required
def create_video():
    """Create a video and its multipart upload; the browser sends parts straight to S3."""
    data = json_body()
    require_fields(data, "title", "filename", "size_bytes")
    video = services.create_video(
        current_user,
        title=str(data["title"]),
        filename=str(data["filename"]),
        size_bytes=data["size_bytes"],
        content_type=str(data.get("content_type") or ""),
        cycle_id=optional_int(data, "cycle_id"),
    )
    policies.confirm_consent(video, current_user, data.get("consent"))
    services.start_multipart(video)
    body = video_json(video)
    body["upload"] = services.upload_plan(video)
    return jsonify(body), 201


@api.get("/videos/<int:video_id>")
@login_required
def get_video(video_id: int):
    """One video with its status, progress and playback URLs."""
    return jsonify(video_json(permissions.load(Video, video_id)))


@api.get("/videos/<int:video_id>/upload")
@login_required
def resume_upload(video_id: int):
    """Fresh part URLs and the parts already stored, to resume after a reload."""
    video = permissions.load(Video, video_id, edit=True)
    return jsonify(services.upload_plan(video))


@api.post("/videos/<int:video_id>/upload/complete")
@login_required
def complete_upload(video_id: int):
    """Assemble the uploaded parts and queue the video for processing."""
    video = permissions.load(Video, video_id, edit=True)
    services.complete_upload(video, json_body().get("parts"))
    return jsonify({"id": video.id, "status": video.status, "error": video.failure_reason}), 202


@api.put("/videos/<int:video_id>/source")
@body_limit(lambda config: config["MAX_UPLOAD_BYTES"])  # streamed, never held in memory
@login_required
def put_source(video_id: int):
    """Stream the raw request body to storage (for scripts), then queue the video."""
    video = permissions.load(Video, video_id, edit=True)
    services.put_source(video, request.stream, request.content_length)
    return jsonify({"id": video.id, "status": video.status, "error": video.failure_reason}), 202


@api.patch("/videos/<int:video_id>")
@login_required
def update_video(video_id: int):
    """Rename a video or file it under one of my cycles."""
    video = permissions.load(Video, video_id, edit=True)
    services.update_video(video, json_body())
    return jsonify(video_json(video))


@api.post("/videos/<int:video_id>/retry")
@login_required
def retry_video(video_id: int):
    """Process a failed video again."""
    video = permissions.load(Video, video_id, edit=True)
    services.retry(video)
    return jsonify(video_json(video)), 202


@api.delete("/videos/<int:video_id>")
@login_required
def delete_video(video_id: int):
    """Delete the video, its upload and every stored object under its prefix."""
    video = permissions.load(Video, video_id, edit=True)
    deletion.delete_video(video, current_user)
    return "", 204
