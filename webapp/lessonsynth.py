"""Synthetic spoken lessons whose truth is known: who says what, when, and how long each pause is.

The demo's sample lesson, the lesson-analysis tests and the analysis benchmark all need a
recording with real speech and exact truth, so they share this module (the web app never
imports it; `debrief demo` does). A script is data (`Line`s). Each line is spoken by espeak-ng;
the teacher's voice is placed as if near the phone (loud, dry), the students' as if across the
room (quieter, low-passed, with room echo from ffmpeg's aecho), all over pink room noise.
Utterances are trimmed to their first and last audible sample before placing, so the scripted
pauses are exact. `wer` scores a transcript against the script.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
import numpy as np

from webapp.mediatools import Binaries

RATE = 16_000
SMALL_PICTURE = "color=c=gray:s=160x120:r=5"  # enough picture for an MP4 the worker accepts


class EspeakMissing(RuntimeError):
    """espeak-ng is not installed, so no speech can be made."""


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice and where it sits in the room."""

    espeak: tuple[str, ...]  # voice, pitch, speed options
    gain_db: float
    room: str | None = None  # ffmpeg filter chain for distance (None: dry, near the phone)


FAR = ("lowpass=f=3000,apad=pad_dur=0.6,"
       "aecho=0.9:0.8:23|41|67|97|131|173:0.45|0.38|0.3|0.23|0.16|0.1")  # fmt: skip
VOICES = {
    "teacher": Voice(("-v", "en-gb", "-p", "45", "-s", "150"), gain_db=-6.0),
    "amira": Voice(("-v", "en-gb+f3", "-p", "75", "-s", "160"), gain_db=-15.0, room=FAR),
    "ben": Voice(("-v", "en-us+m3", "-p", "62", "-s", "165"), gain_db=-16.0, room=FAR),
}


@dataclass(frozen=True)
class Line:
    """One utterance and the silence after it; `question` is "open"/"closed" for questions."""

    speaker: str
    text: str
    pause_s: float
    question: str | None = None


LESSON: tuple[Line, ...] = (
    Line("teacher", "Good morning everyone. Today we are going to compare fractions.", 1.2),
    Line("teacher", "Why do you think one half is bigger than one third?", 3.5, "open"),
    Line("amira", "Because the whole is cut into fewer pieces, so each piece is bigger.", 0.8),
    Line("teacher", "That is a great idea. Can you say that again for the whole class?", 1.0,
         "closed"),
    Line("amira", "Fewer pieces means bigger pieces.", 1.5),
    Line("teacher", "How would you explain that to a younger student?", 5.0, "open"),
    Line("ben", "I would draw two pizzas and cut them in different ways.", 1.0),
    Line("teacher", "Is a fourth bigger than a fifth?", 1.0, "closed"),
    Line("ben", "Yes, it is bigger.", 1.2),
    Line("teacher", "Let me show you on the board. I will draw a long bar and split it into "
         "equal parts. Each part is one piece of the whole bar.", 0.6),
    Line("teacher", "What do you notice about the size of the pieces?", 4.0, "open"),
    Line("amira", "The more pieces there are, the smaller they get.", 1.0),
    Line("teacher", "Which fraction on the board is the smallest?", 2.0, "closed"),
    Line("ben", "One eighth is the smallest.", 1.0),
    Line("teacher", "Does everyone agree?", 2.5, "closed"),
    Line("teacher", "Good. Tomorrow we will add fractions with different denominators.", 1.0),
)  # fmt: skip


# A lecture: the teacher alone, asking and answering herself. One voice must stay one voice.
LECTURE: tuple[Line, ...] = tuple(line for line in LESSON if line.speaker == "teacher")[:6]


@dataclass(frozen=True)
class Spoken:
    """Where a line ended up in the lesson, in seconds."""

    line: Line
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Lesson:
    """A generated lesson file and its truth."""

    path: Path
    spoken: tuple[Spoken, ...]
    duration_s: float

    def talk_s(self, teacher: bool) -> float:
        return sum(s.end_s - s.start_s for s in self.spoken
                   if (s.line.speaker == "teacher") == teacher)  # fmt: skip

    @property
    def student_pct(self) -> float:
        student = self.talk_s(teacher=False)
        return 100 * student / (student + self.talk_s(teacher=True))

    @property
    def words(self) -> str:
        return " ".join(s.line.text for s in self.spoken)

    def questions(self) -> list[tuple[Spoken, Spoken | None]]:
        """Each scripted question with the line spoken after it (None: the lesson ended)."""
        spoken = self.spoken
        return [(s, spoken[i + 1] if i + 1 < len(spoken) else None)
                for i, s in enumerate(spoken) if s.line.question]  # fmt: skip


def require_espeak() -> str:
    """Return espeak-ng's path, or raise EspeakMissing saying how to get it."""
    found = shutil.which("espeak-ng")
    if not found:
        raise EspeakMissing(
            "espeak-ng is missing, so no synthetic lesson can be made: install it "
            "('sudo apt-get install espeak-ng', or run 'make test' as root)."
        )
    return found


def speak(binaries: Binaries, voice: Voice, text: str, scratch: Path) -> tuple[np.ndarray, int]:
    """Return one utterance as 16 kHz float samples placed in the room, and its dry length
    (an echo rings on after the speaker stops; the utterance ends where the voice did)."""
    wav = scratch / "line.wav"
    subprocess.run([require_espeak(), *voice.espeak, "-w", str(wav), text], check=True)
    dry = _trim(_decode(binaries, ffmpeg.input(str(wav))))
    dry = dry / np.abs(dry).max() * 10 ** (voice.gain_db / 20)
    if voice.room is None:
        return dry, len(dry)
    raw = scratch / "dry.f32"
    raw.write_bytes(dry.astype("<f4").tobytes())
    source = ffmpeg.input(str(raw), format="f32le", ar=RATE, ac=1)
    return _decode(binaries, source, voice.room), len(dry)


def _decode(binaries: Binaries, stream, filters: str | None = None) -> np.ndarray:
    """Run ffmpeg to 16 kHz mono float32 on stdout and return the samples."""
    options = {"af": filters} if filters else {}
    graph = stream.output("pipe:1", format="f32le", ac=1, ar=RATE, **options)
    args = graph.global_args("-v", "error", "-nostdin").compile(cmd=binaries.ffmpeg)
    out = subprocess.run(args, check=True, capture_output=True).stdout
    return np.frombuffer(out, dtype="<f4").astype(np.float64)


def _trim(samples: np.ndarray, threshold: float = 0.01) -> np.ndarray:
    """Cut leading and trailing silence: keep first to last sample above 1 % of the peak."""
    loud = np.flatnonzero(np.abs(samples) > threshold * np.abs(samples).max())
    return samples[loud[0] : loud[-1] + 1]


def room_noise(binaries: Binaries, seconds: float, amplitude: float = 0.004) -> np.ndarray:
    """Return pink noise with a faint 100 Hz hum, like a classroom's air and lights."""
    noise = ffmpeg.input(f"anoisesrc=d={seconds:.3f}:c=pink:r={RATE}:a={amplitude}:s=7",
                         format="lavfi")  # fmt: skip
    samples = _decode(binaries, noise)
    hum = 0.0015 * np.sin(2 * np.pi * 100 * np.arange(len(samples)) / RATE)
    return samples + hum


def render(
    binaries: Binaries, scratch: Path, script: tuple[Line, ...] = LESSON, lead_s: float = 1.0
) -> tuple[np.ndarray, tuple[Spoken, ...]]:
    """Speak a script into the room: the samples (room noise under it all) and the truth.

    A line said again by the same voice is synthesised once, so a long lesson built by
    repeating a script costs little more than the script.
    """
    said: dict[tuple[str, str], tuple[np.ndarray, int]] = {}
    pieces, spoken, at = [], [], round(lead_s * RATE)
    for line in script:
        key = (line.speaker, line.text)
        if key not in said:
            said[key] = speak(binaries, VOICES[line.speaker], line.text, scratch)
        audio, dry_len = said[key]
        pieces.append((at, audio))
        spoken.append(Spoken(line, at / RATE, (at + dry_len) / RATE))
        at += dry_len + round(line.pause_s * RATE)
    total = at
    mix = room_noise(binaries, total / RATE)[:total]
    mix = np.pad(mix, (0, total - len(mix)))
    for start, audio in pieces:
        end = min(total, start + len(audio))
        mix[start:end] += audio[: end - start]
    return mix, tuple(spoken)


def make_lesson(
    binaries: Binaries, out_dir: Path, script: tuple[Line, ...] = LESSON, lead_s: float = 1.0,
    picture: str = SMALL_PICTURE, name: str = "lesson.mp4",
) -> Lesson:  # fmt: skip
    """Render a script to an MP4 (H.264 picture, AAC sound, as a phone records) with its truth."""
    scratch = out_dir / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    mix, spoken = render(binaries, scratch, script, lead_s)
    path = out_dir / name
    write_recording(binaries, mix, path, scratch, picture)
    shutil.rmtree(scratch)
    return Lesson(path, spoken, len(mix) / RATE)


def write_recording(
    binaries: Binaries, mix: np.ndarray, path: Path, scratch: Path,
    picture: str = SMALL_PICTURE, loops: int = 1,
) -> None:  # fmt: skip
    """Encode samples as an MP4 with AAC sound under a lavfi `picture` (no duration in it).

    `loops` plays the samples that many times over, so an hour-long file needs only one
    block of samples in memory.
    """
    raw = scratch / "mix.f32"
    raw.write_bytes(np.clip(mix, -1, 1).astype("<f4").tobytes())
    seconds = loops * len(mix) / RATE
    video = ffmpeg.input(f"{picture}:d={seconds:.3f}", format="lavfi")
    sound = ffmpeg.input(str(raw), format="f32le", ar=RATE, ac=1, stream_loop=loops - 1)
    graph = ffmpeg.output(video, sound, str(path), vcodec="libx264", preset="ultrafast",
                          pix_fmt="yuv420p", acodec="aac", audio_bitrate="96k", ar=48000,
                          movflags="+faststart", shortest=None)  # fmt: skip
    args = graph.global_args("-v", "error", "-nostdin", "-y").compile(cmd=binaries.ffmpeg)
    subprocess.run(args, check=True)


# ---- scoring a transcript: the word error rate ----
NUMBERS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
           "6": "six", "7": "seven", "8": "eight", "9": "nine", "10": "ten"}  # fmt: skip


def normalise(text: str) -> list[str]:
    """Lower-case words without punctuation; hyphens split words; small numbers spelt out
    (the normalisation every ASR benchmark applies before counting errors)."""
    words = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [NUMBERS.get(w, w) for w in (w.strip("'") for w in words) if w]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """Return (edit distance in words, reference length)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_word != hyp_word)))  # fmt: skip
        previous = current
    return previous[-1], len(ref)


def wer(reference: str, hypothesis: str) -> float:
    """Return the word error rate: (substitutions + deletions + insertions) over the reference's
    words (0 is perfect; it can exceed 1 with many insertions)."""
    errors, length = word_errors(reference, hypothesis)
    return errors / max(1, length)
