"""Seeding for bench (k): one school's year of lessons, notes and transcript cues, by SQL.

Rows are inserted in bulk by SQL, so the FTS5 triggers (SQLite) and the stored tsvector
columns (PostgreSQL) index them as the app's own writes would; then the database is vacuumed
(PostgreSQL) and analysed.
"""

import random
import time
import uuid
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from bench.annotations import PASSWORD
from webapp import create_app, db

LESSONS, NOTES, CUED_LESSONS, CUES = 1_000, 100_000, 300, 200
SUBJECTS = {
    "Maths": ["Equivalent fractions", "Adding fractions", "Solving linear equations", "Ratio",
              "Area of triangles", "Pythagoras' theorem", "Probability trees", "Percentages"],
    "Science": ["Photosynthesis", "States of matter", "Forces and motion", "Electric circuits",
                "The periodic table", "Cells and microscopes", "Acids and alkalis"],
    "English": ["Persuasive writing", "Macbeth act 1", "Poetry comparison", "Descriptive openings",
                "An Inspector Calls", "Writing a formal letter"],
    "History": ["The Norman conquest", "Causes of the First World War", "The Industrial Revolution",
                "Source analysis: the Blitz"],
    "Geography": ["Rivers and flooding", "Plate tectonics", "Urban change", "Climate zones"],
}  # fmt: skip
SAID = {
    "Maths": ["So what is the denominator here?", "Put the numerator over the denominator.",
              "Is three quarters bigger than two thirds?", "Show me your working on the board."],
    "Science": ["Plants need light for photosynthesis.", "Write down your prediction first.",
                "What happens to the particles when we heat it?", "Goggles on, please."],
    "English": ["Find a quotation that backs that up.", "What does the writer want us to feel?",
                "Start a new paragraph for each point.", "Read it aloud to your partner."],
}  # fmt: skip
ANY_LESSON = [
    "Okay everyone, eyes on me please.", "Turn to your partner and talk for thirty seconds.",
    "Hands down, I'm going to pick someone.", "I'll wait, take your time to think.",
    "Write your answer on your mini whiteboard.", "Who can add to that answer?",
    "Why do you think that?", "Can you say a bit more?", "Finish the exit ticket before you go.",
    "Five more minutes on this task.", "Good, now explain how you got there.",
]  # fmt: skip
MOVE_PHRASES = ["wait time", "turn and talk", "the exit ticket", "cold call", "think pair share",
                "questioning", "checking for understanding", "mini whiteboards", "modelling",
                "narrating the positive", "no opt out", "the do now", "circulating"]  # fmt: skip
WHO = ["students", "the back row", "most students", "three students", "the pairs at the front",
       "quieter students", "the class", "Jamal", "Priya", "the group by the window"]  # fmt: skip
SAW = ["answered in full sentences", "drifted off task", "put their hands up straight away",
       "explained their reasoning", "used the sentence stems", "lost focus at the transition",
       "built on each other's answers", "struggled with the second question"]  # fmt: skip
TRY = ["pausing three seconds", "asking a follow-up question", "cold calling a quieter student",
       "a quick turn and talk", "rephrasing the question", "reading the exit tickets",
       "modelling the first example"]  # fmt: skip
WHEN = ["before taking answers", "after the question", "at the transition", "at the start",
        "before independent work", "in the plenary"]  # fmt: skip
RUNGS = [{"height": h, "width": h * 16 // 9, "pixel_height": h, "maxrate_kbps": h * 5}
         for h in (1080, 720, 480, 360)]  # fmt: skip
RARE = "metacognition"  # in about one note in 500
TEMPLATES = [
    "Great {move} here: {who} {saw}.", "{who} {saw} after {move}.",
    "Next time try {try_} {when}.", "What if you used {move} {when}?",
    "I noticed {who} {saw} {when}.", "Lovely {move}; {who} {saw}.",
]  # fmt: skip


def _note_text(rng: random.Random) -> str:
    sentences = [rng.choice(TEMPLATES).format(move=rng.choice(MOVE_PHRASES), who=rng.choice(WHO),
                 saw=rng.choice(SAW), try_=rng.choice(TRY), when=rng.choice(WHEN))
                 for _ in range(rng.choice((1, 1, 2, 2, 3)))]  # fmt: skip
    if rng.random() < 0.002:
        sentences.append(f"Worth a chat about {RARE} in the debrief.")
    text = " ".join(sentences)
    return text[0].upper() + text[1:]


def _school_days(rng: random.Random, count: int, year: int) -> list[date]:
    """`count` weekdays of the school year September `year` to July, sorted."""
    first = date(year, 9, 3)
    days = [first + timedelta(d) for d in range(320) if (first + timedelta(d)).weekday() < 5]
    return sorted(rng.choice(days) for _ in range(count))


def _people(session, rng: random.Random) -> dict:
    """12 teachers, 3 coaches each accepted by 4 or 5 of them, and two cycles per teacher."""
    from webapp.auth import services as accounts
    from webapp.coaching import pairings
    from webapp.coaching import services as coaching

    school = accounts.get_or_create_school("Bench Academy")
    subjects = list(SUBJECTS)

    def user(i: int, role: str):
        return accounts.create_user(email=f"library.{role}{i}@example.org",
                                    name=f"{role.title()} {i}", role=role, password=PASSWORD,
                                    school=school)  # fmt: skip

    teachers = [(user(i, "teacher"), subjects[i % len(subjects)]) for i in range(12)]
    coaches = [user(i, "coach") for i in range(3)]
    coaches_of = {t.id: [] for t, _ in teachers}
    for c, coach in enumerate(coaches):  # coach c: teachers 4c … 4c+4 (neighbours overlap)
        for teacher, _ in teachers[4 * c : 4 * c + 5]:
            pairings.respond(pairings.pair(coach, teacher), teacher, accept=True)
            coaches_of[teacher.id].append(coach.id)
    cycles = {}
    for teacher, _ in teachers:
        coach = next(c for c in coaches if c.id == coaches_of[teacher.id][0])
        cycles[teacher.id] = [coaching.create_cycle(teacher=teacher, coach=coach, title=title,
                              status=status, goals=["More students answer", "Wait 3 s"])
                              for title, status in (("Autumn: student talk", "closed"),
                                                    ("Spring: questioning", "active"))]  # fmt: skip
    session.flush()
    return {"teachers": teachers, "coaches": coaches, "coaches_of": coaches_of, "cycles": cycles}


def _lessons(rng: random.Random, people: dict, count: int, year: int) -> list[dict]:
    rows, teachers = [], people["teachers"]
    for i, day in enumerate(_school_days(rng, count, year), start=1):
        teacher, subject = teachers[rng.randrange(len(teachers))]
        grade = rng.randint(7, 11)
        autumn, spring = people["cycles"][teacher.id]
        in_cycle = (autumn if day.month >= 9 else spring) if rng.random() < 0.4 else None
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=rng.randint(8, 15))
        part = f" (part {rng.randint(2, 3)})" if rng.random() < 0.2 else ""
        rows.append({
            "id": i, "uuid": uuid.uuid4().hex, "owner_id": teacher.id,
            "cycle_id": in_cycle and in_cycle.id, "title": rng.choice(SUBJECTS[subject]) + part,
            "lesson_date": day, "lesson_date_source": "recording",
            "class_name": f"{grade}{'ABCD'[i % 4]}", "subject": subject, "grade": f"Year {grade}",
            "original_filename": f"IMG_{4000 + i}.MOV",
            "content_type": "video/quicktime", "size_bytes": rng.randint(400, 2000) * 2**20,
            "source_key": f"videos/{i}/source/lesson.mov", "part_size": 0, "status": "ready",
            "progress": 100, "attempt": 1, "duration_ms": rng.randint(35, 60) * 60_000,
            "width": 1920, "height": 1080, "has_video": True, "has_audio": True,
            "output_prefix": f"videos/{i}/r1/", "renditions": RUNGS,
            "outputs": {"hls": "hls/master.m3u8", "mp4": "mp4/720.mp4", "poster": "poster.jpg"},
            "preview_slices": 0, "preview_complete": True, "captions_automatic": False,
            "created_at": at, "updated_at": at, "activity_at": at, "uploaded_at": at,
            "ready_at": at,
        })  # fmt: skip
    return rows


def _notes(rng: random.Random, people: dict, lessons: list[dict], count: int) -> list[dict]:
    """`count` notes over the lessons (a few have none); a fifth are replies in a thread."""
    moves, goals = people["moves"], {c.id: [g.id for g in c.goals] for cs in
                                     people["cycles"].values() for c in cs}  # fmt: skip
    weights = [rng.choice((0, 1, 2, 3)) for _ in lessons]
    rows, by_lesson = [], {}
    for i, lesson in enumerate(rng.choices(lessons, weights, k=count), start=1):
        authors = [lesson["owner_id"], *people["coaches_of"][lesson["owner_id"]]]
        at = lesson["created_at"] + timedelta(minutes=rng.randint(30, 14 * 24 * 60))
        thread = by_lesson.setdefault(lesson["id"], [])
        parent = rng.choice(thread) if thread and rng.random() < 0.2 else None
        start = parent["start_ms"] if parent else rng.randrange(lesson["duration_ms"] - 5_000)
        deleted = rng.random() < 0.02
        row = {
            "id": i, "video_id": lesson["id"], "author_id": rng.choice(authors),
            "parent_id": parent and parent["id"], "start_ms": start,
            "end_ms": start + rng.randint(5_000, 60_000) if rng.random() < 0.2 else None,
            "body": "" if deleted else _note_text(rng),
            "kind": rng.choice(("comment", "strength", "question", "next_step")),
            "move_id": None if deleted or rng.random() < 0.3 else rng.choice(moves),
            "goal_id": rng.choice(goals[lesson["cycle_id"]])
            if lesson["cycle_id"] and not deleted and rng.random() < 0.3 else None,
            "private": parent["private"] if parent else rng.random() < 0.05,
            "resolved_at": at if rng.random() < 0.15 else None, "created_at": at,
            "updated_at": at, "edited_at": None, "deleted_at": at if deleted else None,
        }  # fmt: skip
        if parent is None:
            thread.append(row)
        lesson["activity_at"] = max(lesson["activity_at"], at)
        rows.append(row)
    return rows


def _cues(rng: random.Random, lessons: list[dict], count: int, per_lesson: int) -> list[dict]:
    rows = []
    for lesson in rng.sample(lessons, count):
        lines = ANY_LESSON + SAID.get(lesson["subject"], [])
        step = lesson["duration_ms"] // per_lesson
        rows += [{"video_id": lesson["id"], "source": "analysis", "start_ms": n * step,
                  "end_ms": n * step + step - 200, "text": rng.choice(lines)}
                 for n in range(per_lesson)]  # fmt: skip
    return rows


def seed(url: str, settings: dict, quick: bool) -> dict:
    """Migrate, then fill one school; return the ids and values the requests need."""
    from webapp.coaching.models import Move

    scale = 10 if quick else 1
    db.upgrade(url)
    app = create_app(
        {**settings, "DATABASE_URL": url, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_KIB": 1024}
    )  # fmt: skip  (cheap hashes; login still checks)
    rng, started = random.Random(14), time.perf_counter()
    with app.app_context():
        session = db.session()
        people = _people(session, rng)
        people["moves"] = list(session.scalars(sa.select(Move.id).order_by(Move.position)))
        lessons = _lessons(rng, people, LESSONS // scale, 2025)
        notes = _notes(rng, people, lessons, NOTES // scale)
        cues = _cues(rng, lessons, CUED_LESSONS // scale, CUES)
        reads = [{"user_id": u, "video_id": v["id"], "seen_at": v["activity_at"] - timedelta(1)}
                 for v in lessons for u in (v["owner_id"], *people["coaches_of"][v["owner_id"]])
                 if rng.random() < 0.7]  # fmt: skip
        meta = db.Base.metadata.tables
        for table, rows in (("videos", lessons), ("annotations", notes),
                            ("transcript_cues", cues), ("annotation_reads", reads)):  # fmt: skip
            for start in range(0, len(rows), 5_000):
                session.execute(meta[table].insert(), rows[start : start + 5_000])
        if session.bind.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for table in ("videos", "annotations"):
                session.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT max(id) FROM {table}))"))  # fmt: skip
        session.commit()
        # A school's database in steady state: vacuumed (on PostgreSQL, so autovacuum does not
        # start on the fresh rows in the middle of the timing) and analysed.
        command = "VACUUM ANALYZE" if session.bind.dialect.name == "postgresql" else "ANALYZE"
        with session.bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(command))
        fts = None  # rows the SQLite FTS5 note index holds: the triggers fired for every note
        if session.bind.dialect.name == "sqlite":
            fts = session.scalar(sa.text("SELECT count(*) FROM fts_annotations"))
    app.extensions["db_engine"].dispose()
    coach, teacher = people["coaches"][0], people["teachers"][0][0]
    return {"coach": coach.email, "teacher": teacher.email,
            "other_teacher": people["teachers"][1][0].id,
            "move": people["moves"][0], "lessons": len(lessons),
            "notes": len(notes), "cues": len(cues), "fts": fts,
            "seconds": time.perf_counter() - started}  # fmt: skip
