"""Demo data: a school, five people, the default framework and an active cycle. Idempotent."""

import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from webapp import db
from webapp.annotations import transcripts
from webapp.annotations.models import Annotation
from webapp.auth import services as accounts
from webapp.coaching import pairings
from webapp.coaching import services as coaching
from webapp.coaching.models import Cycle, CycleStatus
from webapp.mediatools import find_binaries
from webapp.sharing import policies
from webapp.video import services as videos
from webapp.video.models import Video
from webapp.video.storage import StorageError

DEMO_PASSWORD = "coachingdemo"
DEMO_SCHOOL = "Riverside Demo School"
DEMO_PEOPLE = [
    ("demo.teacher@example.org", "Dana Teacher", "teacher"),
    ("demo.coach@example.org", "Casey Coach", "coach"),
    ("demo.admin@example.org", "Alex Admin", "admin"),
    ("demo.other-teacher@example.org", "Olive Other-Teacher", "teacher"),
    ("demo.other-coach@example.org", "Oscar Other-Coach", "coach"),
]
DEMO_CYCLE = "Raising student talk"
DEMO_VIDEO = "Sample lesson: fractions warm-up"
DEMO_VIDEO_SECONDS = 30
# (second, end second or None, author, kind, move code, goal index or None, text)
DEMO_NOTES = [
    (3, None, "coach", "strength", "OEQ", 1, "Lovely open question: “How do you know?”"),
    (6, 11, "coach", "comment", "WT", 1, "You waited a full five seconds. Three hands went up."),
    (14, 20, "coach", "question", "TT", 0, "What did you hear the pairs say in the turn-and-talk?"),
    (22, None, "teacher", "comment", "ET", None, "An exit ticket would have shown me who got it."),
    (26, None, "coach", "next_step", "CC", 0, "Next lesson: cold call two pairs after the talk."),
]
DEMO_REPLY = "Mostly halves and quarters; one pair compared to a pizza!"
DEMO_CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:04.500
Good morning! How do you know a half is bigger than a quarter?

00:00:06.000 --> 00:00:11.000
Take a moment to think. I'll wait.

00:00:14.000 --> 00:00:20.000
Turn to your partner and explain your thinking with the fraction strips.

00:00:22.000 --> 00:00:25.000
Okay, let's come back together.

00:00:26.000 --> 00:00:29.500
Who can share what their partner said?
"""
DEMO_GOALS = [
    ("Students talk for at least 40% of the lesson.", ["TT", "SB"]),
    ("Wait at least 3 seconds after every open-ended question.", ["WT", "OEQ"]),
]


def load() -> list[str]:
    """Create whatever part of the demo is missing; return what was done, line by line."""
    report = []
    school = accounts.get_or_create_school(DEMO_SCHOOL)
    people = {}
    for email, name, role in DEMO_PEOPLE:
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(
                email=email, name=name, role=role, password=DEMO_PASSWORD, school=school
            )
            report.append(f"Created {role} {email}")
        people[email] = user
    teacher, coach = people["demo.teacher@example.org"], people["demo.coach@example.org"]
    if pairings.open_pairing(coach.id, teacher.id) is None:
        # The demo teacher has accepted the demo coach, as a real teacher would on their home page.
        admin = people["demo.admin@example.org"]
        pairings.respond(pairings.pair(coach, teacher, requested_by=admin), teacher, accept=True)
        report.append(f"Paired {coach.email} with {teacher.email}")
    framework = coaching.default_framework()
    cycle = db.session().scalar(
        select(Cycle).where(Cycle.teacher_id == teacher.id, Cycle.title == DEMO_CYCLE)
    )
    if cycle is None:
        today = date.today()
        cycle = coaching.create_cycle(
            teacher=teacher,
            coach=coach,
            title=DEMO_CYCLE,
            starts_on=today - timedelta(days=7),
            ends_on=today + timedelta(days=35),
            status=CycleStatus.ACTIVE,
            framework=framework,
        )
        codes = {move.code: move for move in framework.moves}
        for statement, move_codes in DEMO_GOALS:
            coaching.add_goal(cycle, statement, [codes[c] for c in move_codes if c in codes])
        report.append(f"Opened the cycle {DEMO_CYCLE!r} with {len(DEMO_GOALS)} goals")
    db.session().commit()
    report += _load_sample_video(teacher, cycle)
    return report or ["Demo data already present."]


def _load_sample_video(teacher, cycle) -> list[str]:
    """Upload a generated sample clip for the demo teacher and queue it like any upload."""
    exists = select(Video.id).where(Video.owner_id == teacher.id, Video.title == DEMO_VIDEO)
    if db.session().scalar(exists):
        return []
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "sample-lesson.mp4"
        _make_sample_clip(path)
        size = path.stat().st_size
        video = videos.create_video(
            teacher,
            title=DEMO_VIDEO,
            filename=path.name,
            size_bytes=size,
            content_type="video/mp4",
            cycle_id=cycle.id,
        )
        policies.confirm_consent(video, teacher, True)
        try:
            with path.open("rb") as stream:
                videos.put_source(video, stream, size)
        except StorageError as err:
            db.session().rollback()
            return [f"Skipped the sample video: object storage is unavailable ({err})."]
    _add_sample_notes(video, teacher, cycle)
    db.session().commit()  # the command's unit of work; the job is enqueued after it
    return [
        f"Uploaded the sample video {DEMO_VIDEO!r} with {len(DEMO_NOTES)} notes, a reply and "
        "a transcript, and queued it for processing"
    ]


def _add_sample_notes(video: Video, teacher, cycle) -> None:
    """Notes and a transcript as a coaching pair would leave them (shown once it is ready)."""
    moves = {move.code: move for move in cycle.framework.moves}
    authors = {"teacher": teacher, "coach": cycle.coach}
    threads = []
    for start, end, author, kind, code, goal, text in DEMO_NOTES:
        note = Annotation(
            video=video, author=authors[author], start_ms=start * 1000,
            end_ms=end * 1000 if end else None, kind=kind, body=text,
            move_id=moves[code].id,
            goal_id=cycle.goals[goal].id if goal is not None else None,
        )  # fmt: skip
        db.session().add(note)
        threads.append(note)
    db.session().flush()
    reply = threads[2]
    db.session().add(
        Annotation(
            video=video,
            author=teacher,
            parent_id=reply.id,
            start_ms=reply.start_ms,
            end_ms=reply.end_ms,
            body=DEMO_REPLY,
        )
    )
    transcripts.store(video, DEMO_CAPTIONS, "demo.vtt")


def _make_sample_clip(path: Path) -> None:
    ffmpeg = find_binaries(
        current_app.config["FFMPEG"] or None, current_app.config["FFPROBE"] or None
    ).ffmpeg
    seconds = DEMO_VIDEO_SECONDS
    subprocess.run(
        [ffmpeg, "-v", "error", "-f", "lavfi", "-i", f"testsrc2=s=640x360:r=25:d={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=220:beep_factor=4:duration={seconds}",
         "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-movflags", "+faststart", "-shortest", str(path)],
        check=True, timeout=120,
    )  # fmt: skip
