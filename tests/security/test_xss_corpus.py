"""Hostile text in every field comes back verbatim as data and never as markup or a formula.

Each payload goes into every text field a person can fill (names, titles, file names, notes,
replies, moves, frameworks, cycles, goals, token names); then every HTML page is parsed for
tags or attributes the payload could have created, the JSON API must return it unchanged, and
the WebVTT and CSV exports must parse and keep spreadsheets from running it.
"""

import csv
import io
import json
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import webvtt

from tests.conftest import Auth, bearer

PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{7*7}} {% raw %}${7*7}",
    '=HYPERLINK("http://evil.example/","click")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\u202egnp.exe",
    "a --> b <c> & d",
    "line one\n\nline two --> <b>",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PASSWORD = "correct horse battery"
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href"}


class Markup(HTMLParser):
    """Collect what a browser would treat as markup, and every piece of text and attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.texts, self.json_blocks = [], [], []
        self._script = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.texts.append(value or "")
            if name.startswith("on"):
                self.problems.append(f"event handler <{tag} {name}>")
            url = name in URL_ATTRIBUTES and (value or "").strip().lower()
            if url and url.startswith(("javascript:", "data:text")):
                self.problems.append(f"javascript: URL in <{tag} {name}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("injected <img>")
        if tag == "script":
            self._script = dict(attrs)
            if "src" not in self._script and self._script.get("type") != "application/json":
                self.problems.append("inline executable <script>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None and self._script.get("type") == "application/json":
            self.json_blocks.append(data)
        else:
            self.texts.append(data)


@dataclass
class World:
    payload: str
    teacher: object
    coach: object
    admin: object
    video_id: int
    cycle_id: int
    move_id: int


def _ok(reply, status=200):
    assert reply.status_code == status, reply.get_data(as_text=True)[:500]
    return reply.get_json()


def _build(app, client, make_user, pair_users, payload) -> World:
    """Put the payload in every field, through the API like any client would."""
    from webapp import db
    from webapp.video.models import Status, Video

    school = f"School {payload}"
    teacher = make_user("teacher", name=f"T {payload}", school=school)
    coach = make_user("coach", name=f"C {payload}", school=school)
    admin = make_user("admin", name=f"A {payload}", school=school)
    pair_users(coach, teacher)
    admin_h, coach_h = bearer(client, admin.email), bearer(client, coach.email)
    teacher_h = {"Authorization": "Bearer " + _ok(client.post("/api/v1/tokens", json={
        "email": teacher.email, "password": PASSWORD, "name": payload}), 201)["token"]}  # fmt: skip
    framework = _ok(client.post("/api/v1/frameworks", headers=admin_h,
                    json={"name": f"F {payload}", "description": payload}), 201)  # fmt: skip
    move = _ok(client.post(f"/api/v1/frameworks/{framework['id']}/moves", headers=admin_h, json={
        "name": payload, "code": "XS", "colour": "#123456", "description": payload,
        "group": payload}), 201)  # fmt: skip
    bad_code = client.post(f"/api/v1/frameworks/{framework['id']}/moves", headers=admin_h,
                           json={"name": "x", "code": payload, "colour": "#123456"})  # fmt: skip
    assert bad_code.status_code == 422  # codes are letters and digits only
    cycle = _ok(client.post("/api/v1/cycles", headers=coach_h, json={
        "teacher_id": teacher.id, "title": payload, "framework_id": framework["id"],
        "goals": [payload]}), 201)  # fmt: skip
    video = _ok(client.post("/api/v1/videos", headers=teacher_h, json={
        "title": payload, "filename": f"{payload}.mp4", "size_bytes": 1000,
        "content_type": "video/mp4", "cycle_id": cycle["id"]}), 201)  # fmt: skip
    with app.app_context():
        row = db.session().get(Video, video["id"])
        row.status, row.duration_ms, row.width, row.height = Status.READY, 60_000, 640, 360
        db.session().commit()
    world = World(payload, teacher, coach, admin, video["id"], cycle["id"], move["id"])
    note_url = f"/api/v1/videos/{video['id']}/annotations"
    note = _ok(client.post(note_url, headers=coach_h, json={
        "start_ms": 1000, "end_ms": 4000, "body": payload, "move_id": move["id"],
        "goal_id": cycle["goals"][0]["id"]}), 201)  # fmt: skip
    reply = {"start_ms": 1000, "body": payload, "parent_id": note["id"]}
    _ok(client.post(note_url, headers=teacher_h, json=reply), 201)
    return world


@pytest.fixture(params=PAYLOADS, ids=[f"p{n}" for n in range(len(PAYLOADS))])
def world(request, app, client, make_user, pair_users):
    return _build(app, client, make_user, pair_users, request.param)


def _html_pages(app):
    """Every GET page of the app, with the world's ids filled in."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        if rule.endpoint in ("video_pages.media", "video_pages.original", "auth.login"):
            continue
        yield rule


def _check_pages(app, world: World, user) -> str:
    """Sign in as `user`, parse every page they can open; return all their text."""
    client = app.test_client()
    Auth(client).login(user.email)
    ids = {"video_id": world.video_id, "cycle_id": world.cycle_id, "move_id": world.move_id,
           "user_id": world.teacher.id}  # fmt: skip
    seen = []
    for rule in _html_pages(app):
        path = rule.rule
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        reply = client.get(path)
        assert reply.status_code < 500, (path, reply.status_code)  # a crash is never "safe"
        if reply.status_code != 200 or reply.mimetype != "text/html":
            continue  # not this user's page (404/403) or not HTML
        parser = Markup()
        parser.feed(reply.get_data(as_text=True))
        assert not parser.problems, (path, parser.problems)
        for block in parser.json_blocks:
            json.loads(block)  # embedded data stays valid JSON, whatever it holds
        seen.append("\n".join(parser.texts + parser.json_blocks))
    return "\n".join(seen)


def _neutralised(text: str) -> str:
    """How a spreadsheet cell must hold `text`: a leading quote stops formulas."""
    return "'" + text if text.startswith(FORMULA_START) else text


def test_every_field_and_export_is_safe(app, client, world):
    """One world per payload (building it is the slow part); every check runs on it."""
    expected = world.payload.strip()
    names = {f"T {world.payload}".strip(), f"C {world.payload}".strip()}
    _check_html(app, world, expected)
    _check_json(client, world, expected, names)
    _check_vtt(client, world, expected, names)
    _check_csv(client, world, expected, names)


def _check_html(app, world, expected):
    for user in (world.teacher, world.coach, world.admin):
        text = _check_pages(app, world, user).replace("\r\n", "\n")
        # The payload really is on their pages (as text), so the checks looked at it.
        assert expected in text or json.dumps(expected)[1:-1] in text, user


def _check_json(client, world, expected, names):
    teacher_h = bearer(client, world.teacher.email)
    video = _ok(client.get(f"/api/v1/videos/{world.video_id}", headers=teacher_h))
    assert video["title"] == expected and video["owner"]["name"] in names
    notes = _ok(client.get(f"/api/v1/videos/{world.video_id}/annotations", headers=teacher_h))
    assert [a["body"] for a in notes["annotations"]] == [expected, expected]
    cycle = _ok(client.get(f"/api/v1/cycles/{world.cycle_id}", headers=teacher_h))
    assert cycle["title"] == expected and cycle["goals"][0]["statement"] == expected
    frameworks = _ok(client.get("/api/v1/frameworks", headers=teacher_h))["frameworks"]
    mine = next(f for f in frameworks if f["id"] == cycle["framework_id"])
    assert mine["name"] == f"F {world.payload}".strip() and mine["description"] == expected
    [move] = mine["moves"]
    assert move["name"] == move["description"] == move["group"] == expected
    tokens = _ok(client.get("/api/v1/tokens", headers=teacher_h))["tokens"]
    assert expected in [t["name"] for t in tokens]


def _check_vtt(client, world, expected, names):
    headers = bearer(client, world.coach.email)
    for query in ("", "?inline=1"):
        url = f"/api/v1/videos/{world.video_id}/annotations.vtt{query}"
        cues = webvtt.from_buffer(io.StringIO(_text(client.get(url, headers=headers)))).captions
        assert len(cues) == 2
        for cue in cues:
            assert "-->" not in cue.text and "<" not in cue.text and "&" not in cue.text
            data = json.loads(cue.text)
            assert data["body"] == expected and data["author"]["name"] in names
        first = json.loads(cues[0].text)
        assert first["move"]["name"] == expected and first["goal"] == expected


def _check_csv(client, world, expected, names):
    headers = bearer(client, world.coach.email)
    url = f"/api/v1/videos/{world.video_id}/annotations.csv"
    rows = list(csv.DictReader(io.StringIO(_text(client.get(url, headers=headers)), newline="")))
    assert len(rows) == 2
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(FORMULA_START), (column, cell)
        assert row["body"] == _neutralised(expected)
        assert row["author"] in {_neutralised(name) for name in names}
    note = next(r for r in rows if not r["parent_id"])
    assert note["move"] == note["goal"] == _neutralised(expected)


def _text(reply) -> str:
    assert reply.status_code == 200
    return reply.get_data(as_text=True)
