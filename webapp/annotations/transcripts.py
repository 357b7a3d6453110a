"""A caption or transcript file the owner brings (WebVTT or SRT), shown beside the player.

The file is parsed with webvtt-py and written back out as clean WebVTT (plain text, escaped),
so the track the browser loads is always well formed, whatever was uploaded.

The lesson analysis's machine transcript becomes the captions when the video has none of the
teacher's own (`automatic_captions`, marked `captions_automatic`); the teacher's file always
replaces it, and the teacher may delete either.
"""

import html
import io
from functools import partial

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from webapp.annotations.exports import timestamp
from webapp.errors import ValidationError
from webapp.library import search_index
from webapp.library.models import CueSource
from webapp.transaction import after_commit
from webapp.video.models import Status, Video
from webapp.video.storage import storage

MAX_CAPTION_BYTES = 2 * 1024 * 1024
MAX_CUES = 20_000


def _parse(raw: bytes, filename: str) -> webvtt.WebVTT:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("Save the captions as UTF-8 text and upload them again.") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    srt = filename.lower().endswith(".srt") or not text.lstrip().startswith("WEBVTT")
    try:
        return webvtt.from_buffer(io.StringIO(text), format="srt" if srt else "vtt")
    except (MalformedFileError, MalformedCaptionError, ValueError):
        kind = "SubRip (.srt)" if srt else "WebVTT (.vtt)"
        raise ValidationError(
            f"This is not a readable {kind} caption file. Export the captions as .vtt or .srt "
            "from your captioning tool and try again."
        ) from None


def _clean_text(text: str) -> str:
    """Plain text with markup escaped and no blank lines or arrows that would end the cue."""
    lines = [line.strip() for line in text.replace("-->", "→").split("\n")]
    return html.escape("\n".join(line for line in lines if line), quote=False)


def normalise(raw: bytes, filename: str, duration_ms: int) -> tuple[str, int]:
    """Return clean WebVTT and its cue count, or raise a ValidationError saying what is wrong."""
    if len(raw) > MAX_CAPTION_BYTES:
        raise ValidationError("Caption files can be at most 2 MB.")
    parsed = _parse(raw, filename)
    captions = []
    for caption in parsed.captions:
        text = _clean_text(caption.text)
        if text and caption.end_in_seconds > caption.start_in_seconds:
            captions.append(webvtt.Caption(start=caption.start, end=caption.end, text=text))
    if not captions:
        raise ValidationError("This caption file has no cues with text.")
    if len(captions) > MAX_CUES:
        raise ValidationError(f"Caption files can have at most {MAX_CUES:,} cues.")
    if duration_ms and captions[0].start_in_seconds * 1000 > duration_ms:
        raise ValidationError("These captions start after the video ends: is it the right file?")
    return webvtt.WebVTT(captions=captions).content, len(captions)


def attach(video: Video, raw: bytes, filename: str) -> int:
    """Store the owner's captions under the video's prefix; returns the number of cues."""
    if video.status != Status.READY:
        raise ValidationError("Captions can be added once the video is ready.")
    return store(video, raw, filename)


def store(video: Video, raw: bytes | str, filename: str) -> int:
    """Normalise and store captions whatever the video's state (the demo adds them early)."""
    if isinstance(raw, str):
        raw = raw.encode()
    content, count = normalise(raw, filename, video.duration_ms or 0)
    key = f"{video.prefix}captions.vtt"
    storage().put_stream(key, io.BytesIO(content.encode()), "text/vtt")
    video.captions_key, video.captions_automatic = key, False
    search_index.replace_cues(video.id, CueSource.CAPTIONS, search_index.caption_cues(content))
    return count


def automatic_captions(cues: list[tuple[int, int, str]]) -> str | None:
    """The machine transcript's cues, (start ms, end ms, text), as clean WebVTT; None when
    there are no words. The analysis job stores it and points the video at it, unless the
    teacher brought their own captions (webapp/analysis/running.py)."""
    captions = [
        webvtt.Caption(start=timestamp(start), end=timestamp(end), text=_clean_text(text))
        for start, end, text in cues[:MAX_CUES]
        if end > start >= 0 and _clean_text(text)
    ]
    return webvtt.WebVTT(captions=captions).content if captions else None


def detach(video: Video) -> None:
    """Forget the captions; the stored file goes once that is committed."""
    key, video.captions_key, video.captions_automatic = video.captions_key, None, False
    search_index.forget_cues(video.id, CueSource.CAPTIONS)
    if key:
        after_commit(partial(storage().delete_keys, [key]))
