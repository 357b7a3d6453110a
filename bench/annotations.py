"""(f) A video with 5,000 notes: its timeline and review page against a trivial endpoint.

Goals (issue 4): GET …/annotations p99 under 150 ms on this machine, at most 5 SQL queries a
request. The app runs under gunicorn sync workers; each response carries its query count.
The timeline is measured twice: as a reader usually gets it (from the Redis copy) and built
afresh every time, as the first reader after a change gets it.
"""

import math
import os
import random
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import requests
import sqlalchemy as sa
from flask import Flask, request

from bench import services
from bench.api import expect
from bench.report import Check, Result
from webapp import create_app, db
from webapp.annotations import timeline_cache

NOTES = 5_000  # threads and replies together
REPLIES = 1_500
DURATION_MS = 45 * 60 * 1000
WORKERS = 2  # gunicorn sync workers, as production runs them
CLIENTS = 2  # requests in flight: every worker busy, none left waiting in the backlog
ROUNDS = 4  # each endpoint's requests come in this many blocks, interleaved with the others
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery"
PEOPLE = (  # (email, name, role); the first coach makes the requests
    ("bench.coach@example.org", "Casey Coach", "coach"),
    ("bench.teacher@example.org", "Taylor Teacher", "teacher"),
    ("bench.coach2@example.org", "Morgan Mentor", "coach"),
)
WORDS = [
    "students", "question", "wait", "time", "answer", "think", "pair", "share", "board", "nice",
    "try", "again", "why", "because", "group", "called", "on", "the", "a", "you", "explain",
    "evidence", "praise", "exit", "ticket", "hands", "voice", "next", "lesson",
]  # fmt: skip
CSRF_RE = re.compile(r'name="csrf-token" content="([^"]+)"')


def served_app() -> Flask:
    """The production app, plus an X-Queries header: the SQL statements the request ran.

    gunicorn loads this factory (`bench.annotations:served_app()`); sync workers serve one
    request at a time, and the counter is per thread all the same. `?fresh` on a timeline
    request makes it as if a note had just changed, so the timeline is built, not cached.
    """
    app = create_app()
    counter = threading.local()

    def count(*_args) -> None:
        counter.queries = getattr(counter, "queries", 0) + 1

    def reset() -> None:
        counter.queries = 0
        if "fresh" in request.args:
            timeline_cache.changed(request.view_args["video_id"])

    def report(response):
        response.headers["X-Queries"] = str(getattr(counter, "queries", 0))
        return response

    sa.event.listen(app.extensions["db_engine"], "before_cursor_execute", count)
    app.before_request_funcs.setdefault(None, []).insert(0, reset)  # before sign-in's hook
    app.after_request(report)
    return app


def seed(url: str, settings: dict[str, str]) -> int:
    """Migrate, then add three people, a cycle with goals, a ready video and 5,000 notes."""
    from webapp.annotations.models import Annotation, Kind
    from webapp.auth import services as accounts
    from webapp.coaching import pairings
    from webapp.coaching import services as coaching
    from webapp.video.models import Status, Video

    db.upgrade(url)
    app = create_app({**settings, "DATABASE_URL": url})
    rng = random.Random(4)
    with app.app_context():
        session = db.session()
        school = accounts.get_or_create_school("Bench School")
        people = [accounts.create_user(email=e, name=n, role=r, password=PASSWORD, school=school)
                  for e, n, r in PEOPLE]  # fmt: skip
        coach, teacher, mentor = people
        for partner in (coach, mentor):  # both accepted by the teacher
            pairings.respond(pairings.pair(partner, teacher), teacher, accept=True)
        goals = ["Students talk for half the lesson", "Wait 3 s after questions", "Exit tickets"]
        cycle = coaching.create_cycle(teacher=teacher, coach=coach, title="Student talk",
                                      status="active", goals=goals)  # fmt: skip
        moves = [m.id for m in cycle.framework.moves]
        goal_ids = [g.id for g in cycle.goals]
        video = Video(owner=teacher, cycle=cycle, title="Year 8 fractions", size_bytes=1_000_000,
                      original_filename="lesson.mp4", content_type="video/mp4",
                      source_key="videos/bench/source/lesson.mp4", status=Status.READY,
                      duration_ms=DURATION_MS, width=1920, height=1080, has_video=True,
                      has_audio=True, output_prefix="videos/bench/r1/",
                      outputs={"hls": "hls/master.m3u8", "mp4": "mp4/720.mp4",
                               "poster": "poster.jpg", "thumbnails_vtt": "thumbs.vtt",
                               "peaks": "peaks.json"},
                      renditions=[1080, 720, 480, 360])  # fmt: skip
        session.add(video)
        session.flush()
        start = db.utcnow() - timedelta(days=3)

        def note(i: int, **fields) -> Annotation:
            return Annotation(
                video_id=video.id, body=" ".join(rng.choices(WORDS, k=rng.randint(6, 60))),
                created_at=start + timedelta(seconds=i), updated_at=start + timedelta(seconds=i),
                author_id=rng.choices(people, weights=(5, 4, 1))[0].id, **fields,
            )  # fmt: skip

        threads = []
        for i in range(NOTES - REPLIES):
            at = rng.randrange(DURATION_MS - 60_000)
            threads.append(note(
                i, start_ms=at, end_ms=at + rng.randrange(3_000, 60_000) if i % 4 == 0 else None,
                kind=rng.choice(list(Kind)), private=rng.random() < 0.03,
                move_id=rng.choice(moves) if rng.random() < 0.8 else None,
                goal_id=rng.choice(goal_ids) if rng.random() < 0.5 else None,
                resolved_at=start if rng.random() < 0.2 else None,
            ))  # fmt: skip
        session.add_all(threads)
        session.flush()
        for i in range(REPLIES):
            parent = rng.choice(threads)
            thread = {"start_ms": parent.start_ms, "end_ms": parent.end_ms,
                      "private": parent.private}  # fmt: skip
            session.add(note(NOTES + i, parent_id=parent.id, kind=Kind.COMMENT, **thread))
        session.commit()
        video_id = video.id
    app.extensions["db_engine"].dispose()
    return video_id


@contextmanager
def postgresql() -> Iterator[str | None]:
    """Create a database of our own on the local PostgreSQL and drop it after; None if absent."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"debrief_bench_{os.getpid()}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def sign_in(base: str) -> requests.cookies.RequestsCookieJar:
    """Sign the coach in through the login form, as a browser does; return the cookies."""
    http = requests.Session()
    token = CSRF_RE.search(http.get(f"{base}/login", timeout=30).text).group(1)
    form = {"email": PEOPLE[0][0], "password": PASSWORD, "csrf_token": token}
    reply = http.post(f"{base}/login", data=form, allow_redirects=False, timeout=30)
    expect(302, reply.status_code, reply.text[:500])
    return http.cookies


def bearer_queries(base: str, path: str) -> int:
    """Return the SQL count of one request made with a bearer token instead of a cookie."""
    body = {"email": PEOPLE[0][0], "password": PASSWORD}
    reply = requests.post(f"{base}/api/v1/tokens", json=body, timeout=30)
    expect(201, reply.status_code, reply.text[:500])
    headers = {"Authorization": f"Bearer {reply.json()['token']}"}
    reply = requests.get(base + path, headers=headers, timeout=30)
    expect(200, reply.status_code, reply.text[:500])
    return int(reply.headers["X-Queries"])


@dataclass
class Samples:
    """One endpoint's measurements: seconds per request, SQL per request, body sizes."""

    latencies: list[float]
    queries: list[int]
    sizes: list[int]

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        ordered = sorted(self.latencies)
        return 1000 * ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def load(base: str, cookies, paths: dict[str, str], requests_each: int) -> dict[str, Samples]:
    """Request every path `requests_each` times, CLIENTS at once, in interleaved blocks."""
    local = threading.local()
    samples = {label: Samples([], [], []) for label in paths}

    def get(path: str) -> tuple[float, int, int]:
        if not hasattr(local, "http"):
            local.http = requests.Session()
            local.http.cookies.update(cookies)
        start = time.perf_counter()
        reply = local.http.get(base + path, timeout=60)
        elapsed = time.perf_counter() - start
        expect(200, reply.status_code, reply.text[:500])
        return elapsed, int(reply.headers["X-Queries"]), len(reply.content)

    with ThreadPoolExecutor(CLIENTS) as pool:
        for path in paths.values():  # warm up: imports, templates, connection pools
            list(pool.map(get, [path] * 2 * CLIENTS))
        labels = list(paths)
        for block in range(ROUNDS):
            for label in labels[block % len(labels) :] + labels[: block % len(labels)]:
                batch = [paths[label]] * (requests_each // ROUNDS)
                for took, queries, size in pool.map(get, batch):
                    samples[label].latencies.append(took)
                    samples[label].queries.append(queries)
                    samples[label].sizes.append(size)
    return samples


def measure(svc: services.Services, url: str, requests_each: int) -> tuple[dict, int, int]:
    """Seed one database, serve it, load the four endpoints; return samples and counts."""
    video_id = seed(url, svc.settings())
    paths = {
        "GET /api/v1/me (trivial)": "/api/v1/me",
        "GET /api/v1/videos/{id}/annotations": f"/api/v1/videos/{video_id}/annotations",
        "… built afresh (after a change)": f"/api/v1/videos/{video_id}/annotations?fresh",
        "GET /videos/{id} (review page)": f"/videos/{video_id}",
    }
    app = "bench.annotations:served_app()"
    with services.gunicorn(svc, WORKERS, app, DATABASE_URL=url) as (base, _):
        cookies = sign_in(base)
        reply = requests.get(base + paths["GET /api/v1/videos/{id}/annotations"], cookies=cookies,
                             timeout=60)  # fmt: skip
        expect(200, reply.status_code, reply.text[:500])
        returned = len(reply.json()["annotations"])
        with_bearer = bearer_queries(base, paths["GET /api/v1/videos/{id}/annotations"])
        samples = load(base, cookies, paths, requests_each)
    return samples, returned, with_bearer


def backend_figures(name: str, samples: dict[str, Samples], returned: int, bearer: int) -> list:
    """Figures for one database: latencies, SQL per request, and ratios to the trivial one."""
    trivial, timeline, fresh, page = samples.values()
    figures = [
        (f"[{name}] notes returned to the coach", returned, ""),
        (f"[{name}] timeline JSON size", timeline.sizes[0] / 1e3, "kB"),
    ]
    for label, s in samples.items():
        figures += [
            (f"[{name}] {label}: p50", s.percentile(50), "ms"),
            (f"[{name}] {label}: p99", s.percentile(99), "ms"),
            (f"[{name}] {label}: SQL per request", max(s.queries), ""),
        ]
    figures.append((f"[{name}] timeline SQL per request, bearer token", bearer, ""))
    for label, s in (("timeline", timeline), ("timeline afresh", fresh), ("review page", page)):
        for q in (50, 99):
            ratio = s.percentile(q) / trivial.percentile(q)
            figures.append((f"[{name}] ratio {label} / trivial: p{q}", ratio, ""))
    return figures


def backend_checks(name: str, samples: dict[str, Samples]) -> list[Check]:
    """The issue's two goals for one database."""
    _, timeline, fresh, page = samples.values()
    return [
        Check(f"[{name}] timeline p99 (ms)", timeline.percentile(99), "<", 150),
        Check(f"[{name}] timeline built afresh p99 (ms)", fresh.percentile(99), "<", 150),
        Check(f"[{name}] timeline SQL per request", max(timeline.queries), "<=", 5),
        Check(f"[{name}] timeline built afresh SQL per request", max(fresh.queries), "<=", 5),
        Check(f"[{name}] review page SQL per request", max(page.queries), "<=", 5),
    ]


def run(quick: bool) -> Result:
    """Measure on SQLite, then on PostgreSQL when a local server answers."""
    requests_each = 100 if quick else 400
    figures, checks, notes = [], [], []
    with services.running() as svc:
        urls = {"sqlite": f"sqlite:///{svc.root / 'annotations.sqlite3'}"}
        with postgresql() as pg_url:
            if pg_url:
                urls["postgresql"] = pg_url
            else:
                notes.append(f"PostgreSQL not reachable at {PG_ADMIN_URL}: SQLite only")
            for name, url in urls.items():
                samples, returned, bearer = measure(svc, url, requests_each)
                figures += backend_figures(name, samples, returned, bearer)
                checks += backend_checks(name, samples)
    return Result(
        name="annotations",
        title=f"(f) Timeline of {NOTES:,} notes and review page vs GET /api/v1/me: gunicorn "
        f"{WORKERS} sync workers, {CLIENTS} clients, {requests_each} requests each",
        figures=figures,
        checks=checks,
        notes=notes,
    )
