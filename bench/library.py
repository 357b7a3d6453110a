"""(k) The library at a school year's scale: list pages and search on SQLite and PostgreSQL.

Goal (issue 14, "Scale"): in one school with 1,000 ready lessons and 100,000 notes, a list page
answers p99 < 150 ms and a search p99 < 300 ms, on both databases. One school is seeded in bulk
(12 teachers, 3 coaches with active pairings, lessons over a school year, some in cycles, notes
tagged with moves, some "only me", some deleted tombstones, 300 lessons of 200 transcript cues),
with rows inserted by SQL so the FTS5 triggers (SQLite) and the stored tsvector columns
(PostgreSQL) index them as the app's own writes would; then ANALYZE. The app (production
config, private Redis and SeaweedFS) is hit through Flask's test client by a coach and a
teacher signed in with the login form, exactly as a browser asks: `GET /videos` and
`GET /api/v1/videos` (first page and a page reached by `next_cursor`, unfiltered and by
teacher, move, date range and activity), `GET /search` and `GET /api/v1/search` (a common word,
a rare one, a quoted phrase, a word said only in transcripts). Kinds are requested in
interleaved blocks after a warm-up; each request's SQL statements are counted.
"""

import gc
import math
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlencode

import sqlalchemy as sa

from bench import services
from bench.annotations import CSRF_RE, PASSWORD
from bench.api import expect
from bench.library_seed import LESSONS, NOTES, RARE, seed
from bench.report import Check, Result
from webapp import create_app, devservices

ROUNDS, WARM_UP = 4, 5
LIST_GOAL_MS, SEARCH_GOAL_MS = 150, 300


@contextmanager
def postgresql() -> Iterator[str]:
    """A database on a PostgreSQL server of our own, started for the run and stopped after.

    Not the machine's shared server: other work's checkpoints and vacuums there stalled single
    requests by 200-300 ms in earlier runs, which measured the neighbours, not the library.
    """
    own = devservices.start_postgres(devservices.free_port_block(1, 30000, 31000)[0])
    admin = sa.create_engine(own.address, isolation_level="AUTOCOMMIT")
    name = f"debrief_library_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
        own.stop()


class Collector:
    """Seconds the cyclic garbage collector has run, so a slow request can be told apart."""

    def __init__(self):
        self.seconds, self._started = 0.0, 0.0
        gc.callbacks.append(self._phase)

    def _phase(self, phase: str, _info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def close(self) -> None:
        gc.callbacks.remove(self._phase)


class Counted:
    """The production app in a test client, counting each request's SQL statements and GC time."""

    def __init__(self, settings: dict):
        self.app = create_app(settings)
        self.queries, self.gc_seconds = 0, 0.0
        self.collector = Collector()
        sa.event.listen(self.app.extensions["db_engine"], "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.queries += 1

    def client(self, email: str):
        """A test client signed in through the login form, as a browser signs in."""
        client = self.app.test_client()
        token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
        reply = client.post(
            "/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        expect(302, reply.status_code, reply.get_data(as_text=True)[:500])
        return client

    def get(self, client, path: str) -> tuple[float, int, object]:
        self.queries, collected = 0, self.collector.seconds
        start = time.perf_counter()
        reply = client.get(path)
        elapsed = time.perf_counter() - start
        self.gc_seconds = self.collector.seconds - collected
        expect(200, reply.status_code, reply.get_data(as_text=True)[:500])
        return elapsed, self.queries, reply


def _page_after(served: Counted, client, query: dict, pages: int) -> str | None:
    """The cursor of page `pages + 1`, by following the API's next_cursor (the page's too)."""
    cursor = ""
    for _ in range(pages):
        found = served.get(client, "/api/v1/videos?" + urlencode({**query, "cursor": cursor}))
        cursor = found[2].get_json()["next_cursor"] or cursor
    return cursor or None  # a list too short (only in --quick)


def kinds(served: Counted, coach, teacher, seeded: dict) -> dict[str, tuple]:
    """Label → (client, path, group): what each kind of request asks, and who asks it."""
    year = 2025
    filters = {"unfiltered": {}, "teacher": {"teacher": seeded["other_teacher"]},
               "move": {"move": seeded["move"]}, "sort=activity": {"sort": "activity"},
               "from/to": {"from": f"{year + 1}-01-05", "to": f"{year + 1}-03-27"}}  # fmt: skip
    out = {}
    for name, query in filters.items():
        cursor = _page_after(served, coach, query, 2)
        for where in ("/videos", "/api/v1/videos"):
            out[f"coach {where} {name}"] = (coach, f"{where}?{urlencode(query)}", "list")
            if cursor:
                paged = urlencode({**query, "cursor": cursor})
                out[f"coach {where} {name}, page 3"] = (coach, f"{where}?{paged}", "list")
    for where in ("/videos", "/api/v1/videos"):
        out[f"teacher {where}"] = (teacher, where, "list")
    words = {"common word": "students", "rare word": RARE, "phrase": '"wait time"',
             "transcript word": "denominator"}  # fmt: skip
    for name, q in words.items():
        for where in ("/search", "/api/v1/search"):
            out[f"coach {where} {name}"] = (coach, f"{where}?{urlencode({'q': q})}", "search")
    for where in ("/search", "/api/v1/search"):
        out[f"teacher {where} common word"] = (teacher, f"{where}?q=students", "search")
    return out


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def measure(served: Counted, plan: dict[str, tuple], each: int) -> dict[str, tuple]:
    """Warm up every kind, then time `each` requests of it in ROUNDS interleaved blocks.

    Each timing is kept with the GC seconds inside it and when it ended (seconds from the
    first), so the slowest requests can be explained rather than guessed at.
    """
    times = {label: [] for label in plan}
    queries = {label: 0 for label in plan}
    hits = {}
    for label, (client, path, _) in plan.items():
        for _ in range(WARM_UP):
            reply = served.get(client, path)[2]
        hits[label] = reply.get_json() if reply.is_json else None
    labels = list(plan)
    gc.collect()  # the seeding's garbage is not the requests' to pay for
    began = time.perf_counter()
    for block in range(ROUNDS):
        for label in labels[block % len(labels) :] + labels[: block % len(labels)]:
            client, path, _ = plan[label]
            for _ in range(each // ROUNDS):
                took, count, _reply = served.get(client, path)
                times[label].append((took, served.gc_seconds, time.perf_counter() - began))
                queries[label] = max(queries[label], count)
    return {label: (times[label], queries[label], hits[label]) for label in plan}


def slowest(name: str, results: dict[str, tuple], count: int = 3) -> list[str]:
    """Notes on the slowest timed requests: kind, time, GC time inside it, when it ran."""
    every = [(took, gc_s, at, label) for label, (timed, *_) in results.items()
             for took, gc_s, at in timed]  # fmt: skip
    paused = [gc_s for _, gc_s, _, _ in every if gc_s > 0.010]
    notes = [f"[{name}] requests with over 10 ms of GC inside: {len(paused)} of {len(every)}"
             + (f", longest {1000 * max(paused):.0f} ms" if paused else "")]  # fmt: skip
    for took, gc_s, at, label in sorted(every, reverse=True)[:count]:
        notes.append(f"[{name}] slow: {label} {1000 * took:.0f} ms (GC {1000 * gc_s:.0f} ms) "
                     f"at {at:.0f} s")  # fmt: skip
    return notes


def _answered(body) -> str:
    if body is None:
        return ""
    return f" ({len(body.get('videos', body.get('hits', [])))} rows)"


def backend(name: str, svc: services.Services, url: str, quick: bool) -> tuple[list, list, list]:
    """Seed one database and measure every kind on it; its figures, checks and notes."""
    seeded = seed(url, svc.settings(), quick)
    served = Counted({**svc.settings(), "DATABASE_URL": url})
    coach, teacher = served.client(seeded["coach"]), served.client(seeded["teacher"])
    plan = kinds(served, coach, teacher, seeded)
    results = measure(served, plan, 40 if quick else 200)
    served.app.extensions["db_engine"].dispose()
    served.collector.close()
    figures = [(f"[{name}] lessons seeded", seeded["lessons"], ""),
               (f"[{name}] notes seeded", seeded["notes"], ""),
               (f"[{name}] transcript cues seeded", seeded["cues"], ""),
               (f"[{name}] seeding (bulk insert + ANALYZE)", seeded["seconds"], "s")]  # fmt: skip
    notes = [
        f"[{name}] FTS5 note index rows: {seeded['fts']:,} of {seeded['notes']:,} notes"
        if seeded["fts"] is not None
        else f"[{name}] GIN expression indexes (migration 0015)"
    ]
    worst = {"list": ("", 0.0), "search": ("", 0.0)}
    for label, (timed, count, body) in results.items():
        times = [took for took, _, _ in timed]
        p50, p95, p99 = (percentile(times, q) for q in (50, 95, 99))
        figures += [(f"[{name}] {label}{_answered(body)}: p50", p50, "ms"),
                    (f"[{name}] … p95", p95, "ms"), (f"[{name}] … p99", p99, "ms"),
                    (f"[{name}] … SQL per request", count, "")]  # fmt: skip
        group = plan[label][2]
        if p99 > worst[group][1]:
            worst[group] = (label, p99)
    checks = [
        Check(f"[{name}] list page p99, slowest kind (ms)", worst["list"][1], "<", LIST_GOAL_MS),
        Check(f"[{name}] search p99, slowest kind (ms)", worst["search"][1], "<", SEARCH_GOAL_MS),
    ]
    notes += [f"[{name}] slowest {g}: {label}" for g, (label, _) in worst.items()]
    notes += slowest(name, results)
    return figures, checks, notes


def run(quick: bool) -> Result:
    """Seed and measure SQLite, then PostgreSQL (which must be there)."""
    figures, checks, notes = [], [], []
    with services.running() as svc:
        urls = {"sqlite": f"sqlite:///{svc.root / 'library.sqlite3'}"}
        with postgresql() as pg_url:
            urls["postgresql"] = pg_url
            for name, url in urls.items():
                more = backend(name, svc, url, quick)
                figures, checks, notes = figures + more[0], checks + more[1], notes + more[2]
    scale = 10 if quick else 1
    return Result(
        name="library",
        title=f"(k) Library of {LESSONS // scale:,} lessons and {NOTES // scale:,} notes in one "
        f"school: list pages and search through the test client, "
        f"{40 if quick else 200} requests a kind",
        figures=figures,
        checks=checks,
        notes=notes,
    )
