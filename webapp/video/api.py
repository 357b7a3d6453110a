"""JSON API for videos: create an upload, resume it, complete it, stream a source, manage."""

from flask import Blueprint, request
from flask_login import current_user, login_required

from webapp import permissions
from webapp.http import body_limit
from webapp.library.listing import LibraryQuery, page_of_videos
from webapp.openapi import operation
from webapp.sharing import deletion, policies
from webapp.video import details, services
from webapp.video.models import Video
from webapp.video.schemas import (
    UploadAccepted,
    UploadComplete,
    UploadPlan,
    VideoCreate,
    VideoCreated,
    VideoList,
    VideoOut,
    VideoUpdate,
)

api = Blueprint("video_api", __name__, url_prefix="/api/v1")
api.openapi_tag = "Videos"

# A raw recording: any bytes, whatever Content-Type says.
RAW_BODY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


@api.get("/videos")
@login_required
@operation(query=LibraryQuery, response=VideoList, errors=(422,))
def list_videos(query: LibraryQuery):
    """Lessons I may watch: mine, my teachers' (as their coach) and those shared with me.

    25 a page, newest lesson date first (or latest note first with `sort=activity`); pass
    `next_cursor` back as `cursor` for the next page. Filters narrow within what I may watch.
    """
    page = page_of_videos(current_user, query)
    return VideoList(videos=page.videos, next_cursor=page.next_cursor)


@api.post("/videos")
@login_required
@operation(body=VideoCreate, response=VideoCreated, status=201, errors=(400, 413))
def create_video(body: VideoCreate):
    """Create a video and its multipart upload; the browser sends parts straight to S3.

    A file over MAX_UPLOAD_BYTES or not a recording answers 422; one that would take me over my
    storage quota 413 quota_exceeded; a school that requires consent refuses anything but
    `consent: true` with 400 consent_required.
    """
    video = services.create_video(
        current_user,
        title=body.title,
        filename=body.filename,
        size_bytes=body.size_bytes,
        content_type=body.content_type,
        cycle_id=body.cycle_id,
    )
    policies.confirm_consent(video, current_user, body.consent)
    services.start_multipart(video)
    plan = UploadPlan.model_validate(services.upload_plan(video))
    return VideoCreated.model_validate(video, context={"upload": plan})


@api.get("/videos/<int:video_id>")
@login_required
@operation(response=VideoOut, errors=(404,))
def get_video(video_id: int):
    """One video with its status, progress and playback URLs."""
    return VideoOut.model_validate(permissions.load(Video, video_id))


@api.get("/videos/<int:video_id>/upload")
@login_required
@operation(response=UploadPlan, errors=(403, 404, 409))
def resume_upload(video_id: int):
    """Fresh part URLs and the parts already stored, to resume after a reload.

    409 once the upload is complete.
    """
    video = permissions.load(Video, video_id, edit=True)
    return UploadPlan.model_validate(services.upload_plan(video))


@api.post("/videos/<int:video_id>/upload/complete")
@login_required
@operation(body=UploadComplete, response=UploadAccepted, status=202, errors=(403, 404, 409))
def complete_upload(video_id: int, body: UploadComplete):
    """Assemble the uploaded parts and queue the video for processing.

    Missing parts, or parts S3 does not hold with those ETags, answer 422; stored bytes that
    are not the size announced leave nothing behind and answer `failed` with the reason.
    """
    video = permissions.load(Video, video_id, edit=True)
    services.complete_upload(video, [(p.part_number, p.etag) for p in body.parts])
    return UploadAccepted.model_validate(video)


@api.put("/videos/<int:video_id>/source")
@body_limit(lambda config: config["MAX_UPLOAD_BYTES"])  # streamed, never held in memory
@login_required
@operation(
    response=UploadAccepted,
    status=202,
    errors=(403, 404, 409, 413, 422),
    request_content=RAW_BODY,
)
def put_source(video_id: int):
    """Stream the raw recording to storage (for scripts), then queue the video.

    The body is the file itself, exactly `size_bytes` long as announced at creation (422
    otherwise); over MAX_UPLOAD_BYTES answers 413.
    """
    video = permissions.load(Video, video_id, edit=True)
    services.put_source(video, request.stream, request.content_length)
    return UploadAccepted.model_validate(video)


@api.patch("/videos/<int:video_id>")
@login_required
@operation(body=VideoUpdate, response=VideoOut, errors=(403, 404))
def update_video(video_id: int, body: VideoUpdate):
    """Change a lesson's details: title, lesson date, class, subject, grade, or its cycle."""
    video = permissions.load(Video, video_id, edit=True)
    details.update_video(video, body)
    return VideoOut.model_validate(video)


@api.post("/videos/<int:video_id>/retry")
@login_required
@operation(response=VideoOut, status=202, errors=(403, 404, 409))
def retry_video(video_id: int):
    """Process a failed video again from its stored recording."""
    video = permissions.load(Video, video_id, edit=True)
    services.retry(video)
    return VideoOut.model_validate(video)


@api.delete("/videos/<int:video_id>")
@login_required
@operation(status=204, errors=(403, 404))
def delete_video(video_id: int):
    """Delete the video, its upload and every stored object under its prefix."""
    video = permissions.load(Video, video_id, edit=True)
    deletion.delete_video(video, current_user)
