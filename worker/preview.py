"""The preview: what makes any upload playable within seconds, on the high-priority queue.

An H.264/AAC source is stream-copied into a faststart MP4 (the quick copy). Any other source
with a picture (HEVC from iPhones, VP8/VP9, AV1, MJPEG, HDR…) is encoded into one small, fast
rendition, slice by slice: each job encodes PREVIEW_SLICE_SECONDS of the lesson, reading the source
in ranges from storage (no download), and uploads every HLS segment as soon as ffmpeg has
written it. The playlist the watch page plays is an EVENT playlist that grows — first within
one slice, then slice after slice — and ends with #EXT-X-ENDLIST. The full ladder is made
meanwhile by the processing job on the default queue, which replaces the preview when it
publishes.

One slice per job keeps the high queue fair: the next slice is enqueued behind whatever
arrived meanwhile, so a colleague's 2-minute clip becomes playable after at most one slice of
a 60-minute lesson. The preview encodes several times faster than real time (README, bench
(g)), so a viewer who starts at the first playable moment does not catch up with it; once it
is five minutes ahead of such a viewer, each next slice is scheduled just in time to stay so,
which leaves the workers to the ladders meanwhile.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import ffmpeg
from flask import current_app

from webapp.db import utcnow
from webapp.video import processing
from webapp.video.models import Video
from webapp.video.playback import PREVIEW_PLAYLIST
from webapp.video.queueing import enqueue_preview
from webapp.video.storage import storage
from worker.ffrun import CpuBudgetExceeded, run_ffmpeg
from worker.jobs import CONTENT_TYPES, binaries, media_limits, record_probe
from worker.ladder import HLS_SEGMENT_S, gop_frames, plan_ladder, remux_faststart, scaled_video
from worker.media import MediaRejected, ProbeResult, for_recording, open_input, probe

log = logging.getLogger(__name__)

PREVIEW_MAXRATE_K = 900
PREVIEW_LEAD_S = 300  # how far ahead of real time the preview runs before it is paced
PREVIEW_AUDIO = "96k"
URL_SECONDS = 3600
SEGMENT = re.compile(r"^seg_(\d+)_\d+\.m4s$")


def preview_video(video_id: int, slice_index: int) -> str:
    """Make slice `slice_index` of the video's preview (or its quick copy), then the next."""
    with current_app.app_context():
        video = processing.preview_due(video_id, slice_index)
        if video is None:
            return "nothing to do"
        scratch = Path(tempfile.mkdtemp(prefix=f"debrief-preview-{video.id}-{slice_index}-"))
        try:
            return _make(video, slice_index, scratch)
        except (MediaRejected, CpuBudgetExceeded):
            processing.end_preview(video.id)  # the processing job says why, and fails it
            return "refused"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def on_preview_failure(job, connection, exc_type, exc_value, tb) -> None:
    """Called by rq on every failure: once retries are spent, the ladder alone carries on."""
    if not job.retries_left:
        with current_app.app_context():
            processing.end_preview(job.args[0])


def _make(video: Video, slice_index: int, scratch: Path) -> str:
    url = storage().worker_url(video.source_key, URL_SECONDS)
    info = probe(url, binaries(), media_limits(), size=video.size_bytes)
    if slice_index == 0:
        record_probe(video, info)  # the watch page shows the lesson's length from the start
    if not info.has_video:  # a voice memo: its whole ladder takes seconds
        processing.end_preview(video.id)
        return "not needed"
    if info.can_remux_fast:
        _quick_copy(video, url, info, scratch)
        return "quick copy"
    length = current_app.config["PREVIEW_SLICE_SECONDS"]  # whole segments: slices join there
    start = slice_index * length
    last = start + length >= info.duration_s - 0.5
    uploader = SliceUploader(video, slice_index, scratch, last)
    _encode_slice(url, info, start, min(length, info.duration_s - start), uploader)
    uploader.sync(final=True)
    if not processing.preview_published(video.id, slice_index, complete=last):
        uploader.withdraw()  # published or failed meanwhile: nothing may outlive it
        return "superseded"
    if not last:
        video.preview_slices = slice_index + 1
        enqueue_preview(video, delay=_pace(video, start + length))
    return f"slice {slice_index}"


def _pace(video: Video, ready_until: float) -> float:
    """Seconds to wait before the next slice: none while the preview is less than PREVIEW_LEAD_S
    ahead of a viewer who started at upload-complete, so a long lesson's preview leaves the
    workers to bulk work once it is far enough ahead, and never falls behind."""
    watched = (utcnow() - (video.uploaded_at or utcnow())).total_seconds()
    return max(0.0, ready_until - watched - PREVIEW_LEAD_S)


def _quick_copy(video: Video, url: str, info: ProbeResult, scratch: Path) -> None:
    limits = for_recording(media_limits(), info, current_app.config["VIDEO_CPU_SECONDS_PER_SECOND"])
    quick = scratch / "quick.mp4"
    remux_faststart(url, quick, binaries(), info, limits)
    key = f"{video.prefix}quick.mp4"
    storage().upload_file(quick, key, "video/mp4")
    if not processing.set_quick_playback(video.id, key):
        storage().delete_keys([key])


def preview_rung(info: ProbeResult):
    """The smallest rung of the ladder (360p, or the source's own size if smaller)."""
    return plan_ladder(info)[-1]


def _encode_slice(url: str, info: ProbeResult, start: float, length: float,
                  uploader: SliceUploader) -> None:  # fmt: skip
    """Encode [start, start + length) into fMP4 HLS segments, with the lesson's timestamps."""
    out = uploader.out
    limits = for_recording(media_limits(), replace(info, duration_s=length),
                           current_app.config["VIDEO_CPU_SECONDS_PER_SECOND"])  # fmt: skip
    source = open_input(url, limits, ss=f"{start:.3f}", t=f"{length:.3f}")
    streams = [scaled_video(source, info, preview_rung(info))]
    options = {
        "c:v": "libx264", "preset": "superfast", "crf": 26, "maxrate": f"{PREVIEW_MAXRATE_K}k",
        "bufsize": f"{2 * PREVIEW_MAXRATE_K}k", "g": gop_frames(info),
        "keyint_min": gop_frames(info), "sc_threshold": 0, "fps_mode": "cfr",
        "bf": 0,  # no reordering delay: every slice starts exactly at its own time
    }  # fmt: skip
    if info.has_audio:
        streams.append(source[str(info.audio_index)])
        options |= {"c:a": "aac", "b:a": PREVIEW_AUDIO, "ac": 2, "ar": 48000}
    k = uploader.slice_index
    graph = ffmpeg.output(
        *streams, "index.m3u8", **options, map_metadata=-1, map_chapters=-1, fflags="+bitexact",
        output_ts_offset=f"{start:.3f}", f="hls", hls_time=HLS_SEGMENT_S,
        hls_playlist_type="event", hls_segment_type="fmp4",
        hls_flags="independent_segments+temp_file",  # never read a half-written playlist
        # The lesson's times in every segment (tfdt), not in an edit list players ignore.
        hls_segment_options="movflags=+frag_discont",
        hls_fmp4_init_filename=f"init_{k}.mp4", hls_segment_filename=f"seg_{k}_%04d.m4s",
    )  # fmt: skip
    run_ffmpeg(binaries(), graph, duration_s=length, cwd=out, timeout=300 + length * 4,
               on_progress=uploader.on_progress, cpu_budget=limits.cpu_budget)  # fmt: skip


class SliceUploader:
    """Upload one slice's segments as ffmpeg finishes them, and the playlist they grow.

    The stored playlist holds the earlier slices' segments; a slice run again (a retry, or
    after Redis lost its jobs) first drops whatever it had published before.
    """

    def __init__(self, video: Video, slice_index: int, out: Path, last: bool) -> None:
        self.video, self.slice_index, self.out, self.last = video, slice_index, out, last
        self.prefix = video.prefix + "preview/"
        self.uploaded: set[str] = set()
        self.shown = False
        self.earlier = self._earlier_entries() if slice_index else []

    def _earlier_entries(self) -> list[tuple[str, str]]:
        """(EXTINF line, segment) of the slices before this one, from the stored playlist."""
        try:
            text = storage().read(self.video.prefix + PREVIEW_PLAYLIST).decode()
        except FileNotFoundError:
            raise RuntimeError("the preview playlist of the earlier slices is missing") from None
        return [
            entry for entry in media_entries(text)
            if int(SEGMENT.match(entry[1])[1]) < self.slice_index
        ]  # fmt: skip

    def on_progress(self, _percent: float) -> None:
        self.sync()

    def sync(self, final: bool = False) -> None:
        """Upload what ffmpeg finished since the last call, then the playlist naming it."""
        playlist = self.out / "index.m3u8"
        if not playlist.exists():
            return
        done = media_entries(playlist.read_text())
        new = [name for _, name in done if name not in self.uploaded]
        if not new and not final:
            return
        init = f"init_{self.slice_index}.mp4"
        for name in ([init] if init not in self.uploaded else []) + new:
            content_type = CONTENT_TYPES[Path(name).suffix]
            storage().upload_file(self.out / name, self.prefix + name, content_type)
            self.uploaded.add(name)
        entries = self.earlier + done
        text = preview_playlist(entries, ended=final and self.last)
        key = self.video.prefix + PREVIEW_PLAYLIST
        storage().put_bytes(key, text.encode(), CONTENT_TYPES[".m3u8"])
        if not self.shown and len(entries) >= 2:  # a player needs a couple of segments
            processing.show_preview(self.video.id, self.slice_index, key)
            self.shown = True

    def withdraw(self) -> None:
        """Delete every preview object of the video (the ladder replaced it meanwhile)."""
        storage().delete_keys(list(storage().list_keys(self.prefix)))


def media_entries(playlist: str) -> list[tuple[str, str]]:
    """The (EXTINF line, segment name) pairs of a media playlist, in order."""
    lines = [line.strip() for line in playlist.splitlines() if line.strip()]
    return [
        (line, lines[i + 1]) for i, line in enumerate(lines[:-1])
        if line.startswith("#EXTINF:") and SEGMENT.match(lines[i + 1])
    ]  # fmt: skip


def preview_playlist(entries: list[tuple[str, str]], ended: bool) -> str:
    """The growing EVENT playlist: each slice's segments after its own initialisation segment.

    Slices join without a discontinuity: every slice is encoded with the same settings and
    its fragments carry the lesson's own times (output_ts_offset, written into each tfdt by
    frag_discont), so its init segment only repeats the codec setup and players carry on.
    """
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", f"#EXT-X-TARGETDURATION:{HLS_SEGMENT_S + 1}",
             "#EXT-X-PLAYLIST-TYPE:EVENT", "#EXT-X-INDEPENDENT-SEGMENTS"]  # fmt: skip
    current = None
    for extinf, name in entries:
        slice_index = int(SEGMENT.match(name)[1])
        if slice_index != current:
            lines.append(f'#EXT-X-MAP:URI="init_{slice_index}.mp4"')
            current = slice_index
        lines += [extinf, name]
    if ended:
        lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"
