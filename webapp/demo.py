"""Demo data: a school, five people, the default framework, an active cycle with measured goals
and a spoken sample lesson the worker analyses. Idempotent."""

import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from webapp import db, lessonsynth
from webapp.annotations import transcripts
from webapp.annotations.models import Annotation
from webapp.auth import services as accounts
from webapp.coaching import pairings
from webapp.coaching import services as coaching
from webapp.coaching.models import Cycle, CycleStatus, GoalDirection, GoalMetric
from webapp.lessonsynth import Lesson, Line, Spoken
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
LEAD_S = 1.0  # room noise before the teacher's first word
DEMO_PICTURE = "testsrc2=s=640x360:r=25"
# The sample lesson, spoken by espeak-ng at demo time (webapp/lessonsynth.py), so the worker
# analyses it: an open question with a long wait and a student's answer, a closed one answered
# at once, an open one the teacher answers herself, half a minute of pair talk (long enough
# to be suggested as a moment), a last question with a wait.
DEMO_LESSON = (
    Line("teacher", "Good morning everyone. Today we are comparing fractions.", 1.0),
    Line("teacher", "How do you know that one half is bigger than one quarter?", 3.6, "open"),
    Line("amira", "Because the whole is cut into fewer pieces, so each piece is bigger.", 1.0),
    Line("teacher", "Is one quarter bigger than one eighth?", 0.8, "closed"),
    Line("ben", "Yes, it is.", 1.0),
    Line("teacher", "Why do you think that is?", 0.6, "open"),
    Line("teacher", "Turn to your partner and explain your thinking with the fraction strips.",
         2.0),
    Line("amira", "Two halves make the whole strip, but you need four quarters to make it.", 0.5),
    Line("ben", "And eight eighths. The more pieces there are, the smaller each piece gets.", 0.8),
    Line("amira", "So if I cut my strip into quarters, each quarter is half of a half.", 0.6),
    Line("ben", "Then one quarter is smaller than one half, because it fits inside it twice.", 0.9),
    Line("amira", "What about thirds? A third is bigger than a quarter, but smaller than a half.",
         0.6),
    Line("ben", "Yes, because three pieces are fewer than four pieces, but more than two.", 0.7),
    Line("ben", "I think halves are the easiest, because you just fold the strip once.", 0.8),
    Line("amira", "Let's line up the strips and check it with the ruler.", 1.6),
    Line("teacher", "Okay everyone, let's come back together.", 1.0),
    Line("teacher", "Who would like to share their thinking with the whole class?", 3.2,
         "closed"),
    Line("ben", "My partner said one half is the same as two quarters.", 1.0),
    Line("teacher", "Great thinking. Tomorrow we will add fractions.", 1.0),
)  # fmt: skip
WORDS_PER_S = 2.5  # espeak-ng's pace at 150 words a minute: the timeline when it is missing
# (first line, last line or None, author, kind, move code, goal index or None, text): a note
# starts where its first line starts and, as a range, ends where its last line ends.
DEMO_NOTES = [
    (1, None, "coach", "strength", "OEQ", 1, "Lovely open question: “How do you know?”"),
    (1, 2, "coach", "comment", "WT", 1, "You waited over three seconds, and Amira explained why."),
    (6, 14, "coach", "question", "TT", 0, "What did you hear the pairs say in the turn-and-talk?"),
    (15, None, "teacher", "comment", "ET", None, "An exit ticket would have shown me who got it."),
    (16, None, "coach", "next_step", "CC", 0, "Next lesson: cold call two pairs after the talk."),
]
DEMO_REPLY = "Mostly halves and quarters; one pair compared to a pizza!"
# Each goal measures itself (webapp/coaching/measures.py). The wait share counts every
# question, closed checks such as "Is one quarter bigger?" too, which rightly get a short
# wait; so the target is 80 %, not the statement's literal 100 %, which no lesson with a
# quick check could reach.
DEMO_GOALS = [
    ("Students talk for at least 40% of the lesson.", ["TT", "SB"],
     {"metric": GoalMetric.STUDENT_TALK_PCT, "target": 40.0,
      "direction": GoalDirection.AT_LEAST}),
    ("Wait at least 3 seconds after every open-ended question.", ["WT", "OEQ"],
     {"metric": GoalMetric.WAIT_GE_PCT, "target": 80.0, "direction": GoalDirection.AT_LEAST,
      "threshold_s": 3.0}),
]  # fmt: skip


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
    cycle, done = _load_cycle(teacher, coach)
    report += done
    db.session().commit()
    report += _load_sample_video(teacher, cycle)
    return report or ["Demo data already present."]


def _load_cycle(teacher, coach) -> tuple[Cycle, list[str]]:
    """Open the demo cycle if missing, and measure its goals if they are not yet measured
    (a cycle made by an older demo has goals without metrics); say what was done."""
    report = []
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
        for statement, move_codes, _measure in DEMO_GOALS:
            coaching.add_goal(cycle, statement, [codes[c] for c in move_codes if c in codes])
        report.append(f"Opened the cycle {DEMO_CYCLE!r} with {len(DEMO_GOALS)} goals")
    goals = {goal.statement: goal for goal in cycle.goals}
    unmeasured = [(goals[statement], measure) for statement, _codes, measure in DEMO_GOALS
                  if statement in goals and goals[statement].metric is None]  # fmt: skip
    for goal, measure in unmeasured:
        coaching.set_goal_metric(goal, **measure)
    if unmeasured:
        report.append(f"Measured {len(unmeasured)} goal(s) by the lesson figures "
                      "(student talk ≥ 40 %, wait ≥ 3 s after ≥ 80 % of questions)")  # fmt: skip
    return cycle, report


def _load_sample_video(teacher, cycle) -> list[str]:
    """Upload a spoken sample lesson for the demo teacher and queue it like any upload; once
    the worker has made it playable it analyses it (transcript, figures, suggestions)."""
    exists = select(Video.id).where(Video.owner_id == teacher.id, Video.title == DEMO_VIDEO)
    if db.session().scalar(exists):
        return []
    with tempfile.TemporaryDirectory() as scratch:
        clip, speaks = _make_sample_clip(Path(scratch))
        size = clip.path.stat().st_size
        video = videos.create_video(
            teacher,
            title=DEMO_VIDEO,
            filename=clip.path.name,
            size_bytes=size,
            content_type="video/mp4",
            cycle_id=cycle.id,
        )
        policies.confirm_consent(video, teacher, True)
        try:
            with clip.path.open("rb") as stream:
                videos.put_source(video, stream, size)
        except StorageError as err:
            db.session().rollback()
            return [f"Skipped the sample video: object storage is unavailable ({err})."]
    _add_sample_notes(video, teacher, cycle, clip.spoken)
    if not speaks:  # nothing for the analysis to transcribe: show the script as captions
        transcripts.store(video, _script_captions(clip.spoken), "demo.vtt")
    db.session().commit()  # the command's unit of work; the job is enqueued after it
    done = (
        f"Uploaded the sample video {DEMO_VIDEO!r} ({clip.duration_s:.0f} s) with "
        f"{len(DEMO_NOTES)} notes and a reply, and queued it for processing"
    )
    if speaks:
        return [f"{done}; the worker then analyses its speech (transcript, figures, suggestions)"]
    return [
        f"{done}. espeak-ng is missing, so its sound is room noise without speech and the "
        "analysis will find nothing to measure; the script is its captions instead (install "
        "espeak-ng, delete the sample video and run `debrief demo` again to hear it)"
    ]


def _make_sample_clip(folder: Path) -> tuple[Lesson, bool]:
    """Render the sample lesson to an MP4 and say whether it speaks: without espeak-ng it is
    the picture over room noise, with the timeline the script would have taken."""
    binaries = find_binaries(
        current_app.config["FFMPEG"] or None, current_app.config["FFPROBE"] or None
    )
    name = "sample-lesson.mp4"
    try:
        lessonsynth.require_espeak()
    except lessonsynth.EspeakMissing:
        spoken = _estimated_timeline()
        seconds = spoken[-1].end_s + DEMO_LESSON[-1].pause_s
        lessonsynth.write_recording(
            binaries, lessonsynth.room_noise(binaries, seconds), folder / name, folder, DEMO_PICTURE
        )
        return Lesson(folder / name, spoken, seconds), False
    clip = lessonsynth.make_lesson(
        binaries, folder, DEMO_LESSON, lead_s=LEAD_S, picture=DEMO_PICTURE, name=name
    )
    return clip, True


def _estimated_timeline() -> tuple[Spoken, ...]:
    """Where each line would be if espeak-ng had spoken it, at its usual pace, so the notes
    and captions of a silent sample still fall where the script says."""
    spoken, at = [], LEAD_S
    for line in DEMO_LESSON:
        end = at + len(line.text.split()) / WORDS_PER_S
        spoken.append(Spoken(line, at, end))
        at = end + line.pause_s
    return tuple(spoken)


def _script_captions(spoken: tuple[Spoken, ...]) -> str:
    """The script as WebVTT, one cue per line: the transcript a silent sample cannot get."""
    return transcripts.automatic_captions(
        [(round(s.start_s * 1000), round(s.end_s * 1000), s.line.text) for s in spoken]
    )


def _add_sample_notes(video: Video, teacher, cycle, spoken: tuple[Spoken, ...]) -> None:
    """Notes as a coaching pair would leave them, at the lines they are about (shown once the
    video is ready)."""
    moves = {move.code: move for move in cycle.framework.moves}
    authors = {"teacher": teacher, "coach": cycle.coach}
    threads = []
    for first, last, author, kind, code, goal, text in DEMO_NOTES:
        note = Annotation(
            video=video, author=authors[author], start_ms=round(spoken[first].start_s * 1000),
            end_ms=round(spoken[last].end_s * 1000) if last is not None else None, kind=kind,
            body=text, move_id=moves[code].id,
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
