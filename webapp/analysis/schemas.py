"""The lesson analysis API's answers (DESIGN §6, issue "Measure the lesson")."""

from typing import Literal

from pydantic import Field

from webapp.schemas import Body, Out, Timestamp

# models.AnalysisStatus spelt out: an enum class would be named "AnalysisStatus" in the document.
AnalysisStatusValue = Literal["pending", "running", "done", "failed", "off"]
SpeakerValue = Literal["teacher", "student", "unknown"]


class MinuteShareOut(Out):
    """Talk in one minute of the lesson, for the talk-share chart."""

    start_ms: int
    end_ms: int
    teacher_s: float
    student_s: float
    silence_s: float
    student_pct: float | None = Field(description="Of the minute's talk; null when nobody spoke")


class MetricsOut(Out):
    """The lesson figures. Percentages are 0 to 100; null where a figure is undefined (no
    talk, no questions). Teacher and student talk are an estimate (who sounds nearer the
    phone), not a certainty."""

    duration_s: float
    speech_s: float
    silence_s: float
    teacher_talk_s: float
    student_talk_s: float
    student_talk_pct: float | None = Field(description="Student share of all talk")
    teacher_talk_pct: float | None = Field(description="100 - student_talk_pct")
    questions: int
    open_questions: int
    mean_wait_s: float | None
    median_wait_s: float | None
    wait_ge_3s_pct: float | None = Field(description="Share of questions followed by ≥ 3 s")
    student_turns: int
    longest_teacher_monologue_s: float
    talk_per_minute: list[MinuteShareOut]


class QuestionOut(Out):
    """A teacher question, its class, and the silence after it (null: nobody spoke again)."""

    start_ms: int
    end_ms: int
    text: str
    open: bool
    wait_ms: int | None
    next_speaker: SpeakerValue | None


class TurnOut(Out):
    start_ms: int
    end_ms: int
    speaker: SpeakerValue
    corrected: bool = Field(False, description="A person set the speaker; else the estimate")


class TurnUpdate(Body):
    """Who really spoke in a turn."""

    speaker: SpeakerValue


class CueOut(Out):
    """A stretch of the machine transcript, as a caption cue."""

    start_ms: int
    end_ms: int
    text: str


class AnalysisOut(Out):
    """A lesson's analysis. Until it is `done`, `metrics` is null and the lists are empty;
    `error` says why it `failed` or is `off`."""

    status: AnalysisStatusValue
    error: str | None
    progress: int = Field(description="0 to 100 while running")
    model: str | None = Field(description="The speech recognition model that made it")
    version: str | None = Field(description="The analyser's version")
    language: str | None
    metrics: MetricsOut | None
    questions: list[QuestionOut]
    turns: list[TurnOut]
    transcript: list[CueOut]
    notes: list[str] = Field(description="Caveats the analyser found (e.g. a single voice)")
    updated_at: Timestamp | None
