"""Playback URLs, shared by the watch page and the video API's answers."""

from flask import url_for

from webapp.video.models import Status, Video

# What a video can play, one app URL each (schemas.Playback has a field for each).
PLAYBACK_KINDS = ("hls", "mp4", "poster", "thumbnails_vtt", "peaks")
PREVIEW_PLAYLIST = "preview/index.m3u8"


def media_url(video: Video, name: str) -> str:
    """The media gateway's URL: it checks access on every request, then redirects to S3."""
    return url_for("video_pages.media", video_id=video.id, name=name)


def playback(video: Video) -> dict[str, str | None]:
    """What plays now: the published outputs once ready; before that the quick copy of an
    H.264 source, or the growing preview of any other (`preview` then names its playlist)."""
    outputs = video.outputs or {}
    urls: dict[str, str | None] = dict.fromkeys((*PLAYBACK_KINDS, "preview"))
    if video.status == Status.READY:
        for key in PLAYBACK_KINDS:
            if outputs.get(key):
                urls[key] = media_url(video, outputs[key])
    elif video.quick_key:
        urls["mp4"] = media_url(video, "quick.mp4")
    elif video.preview_key:
        urls["hls"] = urls["preview"] = media_url(video, PREVIEW_PLAYLIST)
    return urls
