"""The JSON shape of a video (DESIGN §6), with playback URLs behind the permission check."""

from flask import url_for

from webapp.video.models import Status, Video


def media_url(video: Video, name: str) -> str:
    return url_for("video_pages.media", video_id=video.id, name=name)


def playback(video: Video) -> dict:
    """App URLs that check access on every request, then redirect to short-lived S3 URLs."""
    outputs = video.outputs or {}
    ready = video.status == Status.READY
    urls = {key: None for key in ("hls", "mp4", "poster", "thumbnails_vtt", "peaks")}
    if ready:
        for key in urls:
            if outputs.get(key):
                urls[key] = media_url(video, outputs[key])
    elif video.quick_key:
        urls["mp4"] = media_url(video, "quick.mp4")
    return urls


def video_json(video: Video) -> dict:
    return {
        "id": video.id,
        "title": video.title,
        "status": video.status,
        "progress": video.progress,
        "error": video.failure_reason,
        "duration_ms": video.duration_ms,
        "width": video.width,
        "height": video.height,
        "has_video": video.has_video,
        "has_audio": video.has_audio,
        "owner": video.owner.public(),
        "cycle_id": video.cycle_id,
        "filename": video.original_filename,
        "size_bytes": video.size_bytes,
        "renditions": video.renditions or [],
        "created_at": video.created_at.isoformat() + "Z",
        "playback": playback(video),
        "consent": {
            "confirmed_at": _stamp(video.consent_confirmed_at),
            "policy_version": video.consent_policy_version,
        },
    }


def _stamp(value) -> str | None:
    return value.isoformat() + "Z" if value else None
