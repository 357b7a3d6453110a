"""Demo data: a school, five people, the default framework and an active cycle. Idempotent."""

import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from webapp import db
from webapp.auth import services as accounts
from webapp.coaching import services as coaching
from webapp.coaching.models import Cycle, CycleStatus
from webapp.mediatools import find_binaries
from webapp.video import services as videos
from webapp.video.models import Video
from webapp.video.queueing import enqueue_processing
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
    if coaching.active_pairing(coach.id, teacher.id) is None:
        coaching.pair(coach, teacher)
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
        try:
            with path.open("rb") as stream:
                videos.put_source(video, stream, size)
        except StorageError as err:
            db.session().rollback()
            return [f"Skipped the sample video: object storage is unavailable ({err})."]
    db.session().commit()
    enqueue_processing(video)
    return [f"Uploaded the sample video {DEMO_VIDEO!r} and queued it for processing"]


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
