"""Generate small recordings like the ones teachers upload, plus hostile and broken files."""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from worker.media import Binaries


@dataclass(frozen=True)
class Sample:
    """A generated input and what probing it must report."""

    name: str
    path: Path
    duration: float
    width: int = 0  # as displayed
    height: int = 0
    has_audio: bool = True
    has_video: bool = True


def _ffmpeg(binaries: Binaries, *args: str) -> None:
    """Run ffmpeg quietly, failing loudly."""
    subprocess.run([binaries.ffmpeg, "-v", "error", "-nostdin", "-y", *args], check=True)


def _lavfi(spec: str) -> list[str]:
    return ["-f", "lavfi", "-i", spec]


X264 = ["-c:v", "libx264", "-preset", "ultrafast"]
X265 = ["-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error"]


def iphone_portrait(b: Binaries, d: Path, seconds: int = 3) -> Sample:
    """HEVC .mov stored landscape with a display matrix turning it portrait, like an iPhone."""
    tmp, path = d / "iphone-landscape.mov", d / "iphone.mov"
    _ffmpeg(b, *_lavfi(f"testsrc2=s=320x180:r=30:d={seconds}"), *_lavfi(f"sine=f=440:d={seconds}"),
            *X265, "-tag:v", "hvc1", "-c:a", "aac", "-shortest", str(tmp))  # fmt: skip
    # ffmpeg 6.0 cannot write a rotation (-display_rotation is 6.1+, the rotate tag is gone),
    # so patch the track header matrix to Apple's 90° one.
    data = bytearray(tmp.read_bytes())
    tkhd = data.find(b"tkhd")
    matrix_at = tkhd - 4 + (48 if data[tkhd + 4] == 0 else 60)
    struct.pack_into(">9i", data, matrix_at, 0, 0x10000, 0, -0x10000, 0, 0, 180 << 16, 0,
                     0x40000000)  # fmt: skip
    path.write_bytes(bytes(data))
    tmp.unlink()
    return Sample("iphone", path, float(seconds), 180, 320)


def hlg_hdr(b: Binaries, d: Path) -> Sample:
    """10-bit HLG HEVC, as phones record in HDR mode."""
    path = d / "hlg.mp4"
    _ffmpeg(b, *_lavfi("testsrc2=s=320x180:r=30:d=2"), *_lavfi("sine=d=2"), *X265,
            "-pix_fmt", "yuv420p10le", "-color_primaries", "bt2020", "-color_trc", "arib-std-b67",
            "-colorspace", "bt2020nc", "-tag:v", "hvc1", "-c:a", "aac", "-shortest",
            str(path))  # fmt: skip
    return Sample("hlg", path, 2.0, 320, 180)


def android_vfr(b: Binaries, d: Path) -> Sample:
    """H.264 .mp4 with jittery frame times, as Android phones record."""
    path = d / "android-vfr.mp4"
    # Keep ~2/3 of the frames at uneven gaps, and keep the original timestamps.
    _ffmpeg(b, *_lavfi("testsrc2=s=320x240:r=30:d=3"), *_lavfi("sine=d=3"),
            "-vf", "select='not(eq(mod(n,3),1))+eq(mod(n,7),0)'", "-fps_mode", "vfr", *X264,
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path))  # fmt: skip
    return Sample("vfr", path, 3.0, 320, 240)


def webm_vp8(b: Binaries, d: Path) -> Sample:
    """VP8+Opus WebM streamed with no duration or cues, as browser MediaRecorder writes it."""
    return _webm(b, d, "vp8", "libvpx")


def webm_vp9(b: Binaries, d: Path) -> Sample:
    """VP9+Opus WebM streamed with no duration or cues."""
    return _webm(b, d, "vp9", "libvpx-vp9")


def _webm(b: Binaries, d: Path, name: str, encoder: str) -> Sample:
    path = d / f"recorder-{name}.webm"
    with path.open("wb") as out:  # a pipe is unseekable, so no duration is written back
        subprocess.run([b.ffmpeg, "-v", "error", "-nostdin", *_lavfi("testsrc2=s=320x240:r=30:d=3"),
                        *_lavfi("sine=d=3"), "-c:v", encoder, "-deadline", "realtime",
                        "-cpu-used", "8", "-b:v", "300k", "-c:a", "libopus", "-shortest",
                        "-f", "webm", "pipe:1"], stdout=out, check=True)  # fmt: skip
    return Sample(f"webm-{name}", path, 3.0, 320, 240)


def mjpeg_avi(b: Binaries, d: Path) -> Sample:
    """MJPEG + PCM .avi, as old cameras and webcams record."""
    path = d / "camera.avi"
    _ffmpeg(b, *_lavfi("testsrc2=s=320x240:r=25:d=2"), *_lavfi("sine=d=2"), "-c:v", "mjpeg",
            "-q:v", "8", "-c:a", "pcm_s16le", "-shortest", str(path))  # fmt: skip
    return Sample("mjpeg", path, 2.0, 320, 240)


def audio_only(b: Binaries, d: Path) -> Sample:
    """AAC .m4a voice memo."""
    path = d / "memo.m4a"
    _ffmpeg(b, *_lavfi("sine=f=300:d=3"), "-c:a", "aac", str(path))
    return Sample("audio", path, 3.0, has_video=False)


def mp3_cover_art(b: Binaries, d: Path) -> Sample:
    """MP3 with an embedded cover picture, which is not a video."""
    cover, path = d / "cover.jpg", d / "cover.mp3"
    _ffmpeg(b, *_lavfi("color=s=64x64"), "-frames:v", "1", str(cover))
    _ffmpeg(b, *_lavfi("sine=d=2"), "-i", str(cover), "-map", "0", "-map", "1", "-c:v", "copy",
            "-disposition:v", "attached_pic", "-c:a", "libmp3lame", str(path))  # fmt: skip
    return Sample("cover-art", path, 2.0, has_video=False)


def video_only(b: Binaries, d: Path) -> Sample:
    """H.264 .mp4 with no sound track (screen recordings)."""
    path = d / "silent.mp4"
    _ffmpeg(b, *_lavfi("testsrc2=s=640x360:r=30:d=2"), *X264, "-pix_fmt", "yuv420p", str(path))
    return Sample("video-only", path, 2.0, 640, 360, has_audio=False)


def surround(b: Binaries, d: Path) -> Sample:
    """H.264 + 5.1 AAC, already browser-friendly (remuxable)."""
    path = d / "surround.mp4"
    _ffmpeg(b, *_lavfi("testsrc2=s=640x360:r=30:d=2"),
            *_lavfi("sine=d=2,aformat=channel_layouts=5.1"), *X264, "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-shortest", str(path))  # fmt: skip
    return Sample("surround", path, 2.0, 640, 360)


def odd_size(b: Binaries, d: Path) -> Sample:
    """Odd dimensions below 360 p, which must not be upscaled."""
    path = d / "odd.mkv"
    # yuv444p, because 4:2:0 cannot hold odd sizes (testsrc2 would crop to 320x240).
    _ffmpeg(b, *_lavfi("testsrc2=s=321x241:r=24:d=2,format=yuv444p"), *_lavfi("sine=d=2"),
            *X264, "-pix_fmt", "yuv444p", "-c:a", "aac", "-shortest", str(path))  # fmt: skip
    return Sample("odd", path, 2.0, 321, 241)


def uhd60(b: Binaries, d: Path) -> Sample:
    """One second of 4K at 60 fps."""
    path = d / "uhd60.mp4"
    _ffmpeg(b, *_lavfi("color=c=teal:s=3840x2160:r=60:d=1,drawbox=x=t*1000:w=200:h=200:c=red"),
            *_lavfi("sine=d=1"), *X264, "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
            str(path))  # fmt: skip
    return Sample("uhd60", path, 1.0, 3840, 2160)


GOOD: dict[str, Callable[[Binaries, Path], Sample]] = {
    "iphone": iphone_portrait, "hlg": hlg_hdr, "vfr": android_vfr, "webm-vp8": webm_vp8,
    "webm-vp9": webm_vp9, "mjpeg": mjpeg_avi, "audio": audio_only, "cover-art": mp3_cover_art,
    "video-only": video_only, "surround": surround, "odd": odd_size, "uhd60": uhd60,
}  # fmt: skip


# --- bad inputs -------------------------------------------------------------------------------


def zero_bytes(b: Binaries, d: Path) -> Path:
    path = d / "empty.mp4"
    path.write_bytes(b"")
    return path


def text_file(b: Binaries, d: Path) -> Path:
    path = d / "notes.mp4"
    path.write_text("Lesson plan: fractions.\nBring rulers.\n" * 20)
    return path


def truncated(b: Binaries, d: Path) -> Path:
    """The first 30% of an MP4 whose index (moov) is at the end: an interrupted upload."""
    full, path = d / "full.mp4", d / "truncated.mp4"
    _ffmpeg(b, *_lavfi("testsrc2=s=320x240:r=30:d=3"), *X264, str(full))
    data = full.read_bytes()
    assert data.find(b"moov") > data.find(b"mdat"), "needs moov at the end"
    path.write_bytes(data[: len(data) * 3 // 10])
    return path


def disguised_playlist(b: Binaries, d: Path, segment: Path) -> Path:
    """An HLS playlist renamed .mp4 that points at other local files."""
    path = d / "lesson.mp4"
    path.write_text(
        "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:10\n#EXT-X-MEDIA-SEQUENCE:0\n"
        f"#EXTINF:10.0,\n{segment}\n#EXTINF:10.0,\n/etc/passwd\n#EXT-X-ENDLIST\n"
    )
    return path


def pixel_bomb(b: Binaries, d: Path) -> Path:
    """A tiny Matroska file whose header claims a 12000x12000 picture."""
    raw, path = d / "small-raw.mkv", d / "bomb.mkv"
    _ffmpeg(b, *_lavfi("color=s=320x256:r=1:d=1"), "-c:v", "rawvideo", "-pix_fmt", "yuv420p",
            str(raw))  # fmt: skip
    data = raw.read_bytes()
    # PixelWidth (0xB0) and PixelHeight (0xBA), two-byte values: 320 and 256 → 12000.
    for element, old in ((b"\xb0", 320), (b"\xba", 256)):
        pattern = re.escape(element + b"\x82" + old.to_bytes(2, "big"))
        data = re.sub(pattern, element + b"\x82" + (12000).to_bytes(2, "big"), data, count=1)
    path.write_bytes(data[:4096])
    raw.unlink()
    return path


def four_seconds(b: Binaries, d: Path) -> Path:
    """A normal 4 s clip, rejected when the limit is lowered to 2 s."""
    path = d / "four.mp4"
    _ffmpeg(b, *_lavfi("testsrc2=s=160x120:r=15:d=4"), *X264, str(path))
    return path
