"""Who may use each route (DESIGN §4), generated from the app's URL map.

Every rule and method needs an entry in MATRIX saying which actors pass its access check; a new
route without one fails `test_every_route_has_an_entry`. `test_matrix` then sends each request
as each actor: the allowed ones must get through, everyone else must get 401/403/404 (or the
sign-in redirect), and no response to anyone who may not see a video may carry its title, a
byte of its media, a presigned link to it, or a word of its notes. Private notes reach their
author only. SQLite only: what is tested is the app's decisions, not the database.
"""

import io
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.conftest import Auth, csrf_token

OWNER, COACH, UNPAIRED, OTHER, ADMIN = "owner", "coach", "unpaired_coach", "other_teacher", "admin"
VIEWER, COMMENTER, REVOKED, ANON = "shared_view", "shared_comment", "revoked_share", "anonymous"
# Coaches whose pairing with the owner is not (or no longer) active, and an admin who asked to
# coach the owner: none of them may see anything of the owner's.
PENDING, DECLINED, ENDED = "pending_coach", "declined_coach", "ended_coach"
ADMIN_COACH = "admin_coach"
ACTORS = [OWNER, COACH, UNPAIRED, OTHER, ADMIN, VIEWER, COMMENTER, REVOKED, ANON,
          PENDING, DECLINED, ENDED, ADMIN_COACH]  # fmt: skip
ROLES = {OWNER: "teacher", COACH: "coach", UNPAIRED: "coach", OTHER: "teacher", ADMIN: "admin",
         VIEWER: "teacher", COMMENTER: "coach", REVOKED: "teacher", PENDING: "coach",
         DECLINED: "coach", ENDED: "coach", ADMIN_COACH: "admin"}  # fmt: skip

SIGNED = frozenset(ACTORS) - {ANON}
VIEWERS = frozenset({OWNER, COACH, VIEWER, COMMENTER})  # of the main video
COMMENTERS = frozenset({OWNER, COACH, COMMENTER})
CYCLE = frozenset({OWNER, COACH})
ONLY_OWNER, ONLY_ADMIN, ONLY_COACH = (
    frozenset({OWNER}),
    frozenset({ADMIN, ADMIN_COACH}),
    frozenset({COACH}),
)
CAN_COACH = frozenset(a for a, role in ROLES.items() if role in ("coach", "admin"))
ANSWERS = ({"answer": "accept"}, {"answer": "decline"})

# Routes anyone may use: signing in (the form, and its API twin) and the API description.
PUBLIC = {("auth.login", "GET"), ("auth.login_post", "POST"), ("auth_api.create_token", "POST"),
          ("api_docs.openapi", "GET"), ("api_docs.docs", "GET")}  # fmt: skip


@dataclass(frozen=True)
class Entry:
    """Who passes the access check, and what to send.

    Writes run after every read, by `stage`: -1 decides the suggested moments before the
    analysis they come from changes, 1 deletes spare videos, 2 ends the actor's own session
    (they sign in again after it).
    """

    allowed: frozenset
    body: dict | bytes | None = None
    ids: dict = field(default_factory=dict)  # path parameter -> world id name (default: same)
    variants: tuple = ({},)  # extra path (or query) parameters, one request per variant
    stage: int = 0


def e(allowed, body=None, stage=0, variants=({},), **ids) -> Entry:
    return Entry(frozenset(allowed), body, ids, variants, stage)


MEDIA_FILES = ("hls/master.m3u8", "poster.jpg", "mp4/360.mp4", "thumbs.vtt", "peaks.json")
MEDIA_NAMES = tuple({"name": name} for name in MEDIA_FILES)
NOTE = {"start_ms": 2000, "body": "A fresh observation"}
SAME_TITLE = {"title": "Main lesson 7f3a"}
FEEDBACK = {"useful": 4, "safe": 5, "would_continue": 4, "comment": "Matrix comment"}
FEEDBACK_FORM = {name: str(value) for name, value in FEEDBACK.items()}
# Query strings (not path parameters): words of the main video's title, notes and questions.
SEARCHES = ({"q": "main lesson"}, {"q": "secret note"}, {"q": "private reflection"},
            {"q": "doomed"}, {"q": "question"})  # fmt: skip
CAPTIONS = b"WEBVTT\n\n00:01.000 --> 00:02.000\nGood morning, class.\n"

MATRIX: dict[tuple[str, str], Entry] = {
    # Accounts
    ("auth.logout", "POST"): e(SIGNED, {}, stage=2),
    ("auth.account", "GET"): e(SIGNED),
    ("auth.create_account_token", "POST"): e(SIGNED, {"name": "matrix"}),
    ("auth.revoke_account_token", "POST"): e(ONLY_OWNER, {}, token_id="token_a"),
    ("auth.sign_out_everywhere", "POST"): e(SIGNED, {}, stage=2),
    ("auth_api.list_tokens", "GET"): e(SIGNED),
    ("auth_api.revoke_token", "DELETE"): e(ONLY_OWNER, token_id="token_b"),
    ("auth_api.me", "GET"): e(SIGNED),
    ("auth.delete_my_account", "GET"): e(SIGNED),
    ("auth.delete_my_account", "POST"): e(SIGNED, {"password": "not my password"}),
    # Home and lists: open to everyone signed in, filtered to what each may see.
    ("home.index", "GET"): e(SIGNED),
    ("video_pages.list_videos", "GET"): e(SIGNED),
    ("video_pages.upload", "GET"): e(SIGNED),
    ("video_api.list_videos", "GET"): e(SIGNED),
    # Search: everyone signed in, finding only what the lists show them (no title leaks).
    ("search.results", "GET"): e(SIGNED, variants=SEARCHES),
    ("search_api.search", "GET"): e(SIGNED, variants=SEARCHES),
    ("video_api.create_video", "POST"): e(
        SIGNED, {"title": "New", "filename": "n.mp4", "size_bytes": 10, "content_type": "video/mp4"}
    ),
    ("coaching_pages.list_cycles", "GET"): e(SIGNED),
    ("coaching_pages.new_cycle", "GET"): e(SIGNED),
    ("coaching_pages.create_cycle", "POST"): e(
        SIGNED, {"title": "", "framework_id": "framework_id"}
    ),
    ("coaching_api.list_cycles", "GET"): e(SIGNED),
    ("coaching_api.create_cycle", "POST"): e(SIGNED, {"title": "Another", "teacher_id": "owner"}),
    ("coaching_api.list_pairings", "GET"): e(SIGNED),
    # Pairings: admins and coaches ask; only the teacher answers; the two of them (or an admin)
    # end it. `spare_request` asks the owner, `spare_request_other` the other teacher.
    ("coaching_api.create_pairing", "POST"): e(CAN_COACH, {"teacher_id": "spare_teacher"}),
    ("coaching_pages.request_pairing", "POST"): e(CAN_COACH, {"teacher_id": "spare_teacher"}),
    ("coaching_api.answer_pairing", "POST"): e(
        ONLY_OWNER, {}, variants=ANSWERS, pairing_id="spare_request"
    ),
    ("coaching_pages.answer_pairing", "POST"): e(
        ONLY_OWNER, {}, variants=ANSWERS, pairing_id="spare_request"
    ),
    ("coaching_api.end_pairing", "POST"): e(
        {OTHER} | ONLY_ADMIN, {}, pairing_id="spare_request_other"
    ),
    ("coaching_pages.end_pairing", "POST"): e(
        {OTHER} | ONLY_ADMIN, {}, pairing_id="spare_request_other"
    ),
    ("coaching_api.list_frameworks", "GET"): e(SIGNED),
    ("coaching_api.list_moves", "GET"): e(SIGNED),
    # The main video: its viewers read, commenters write notes, only the owner manages it.
    ("video_pages.show", "GET"): e(VIEWERS),
    ("video_pages.media", "GET"): e(VIEWERS, variants=MEDIA_NAMES),
    ("video_pages.thumbnail", "GET"): e(VIEWERS),
    ("annotations_pages.summary", "GET"): e(VIEWERS),
    ("video_api.get_video", "GET"): e(VIEWERS),
    ("annotations_api.list_annotations", "GET"): e(VIEWERS),
    ("annotations_api.annotations_vtt", "GET"): e(VIEWERS),
    ("annotations_api.annotations_csv", "GET"): e(VIEWERS),
    ("annotations_api.mark_read", "POST"): e(VIEWERS, {}),
    ("annotations_api.create_annotation", "POST"): e(COMMENTERS, NOTE),
    ("annotations_api.update_annotation", "PATCH"): e(COMMENTERS, {"resolved": True}),
    ("annotations_api.delete_annotation", "DELETE"): e(ONLY_COACH, annotation_id="doomed_note"),
    ("video_pages.original", "GET"): e(ONLY_OWNER),
    ("video_pages.retry", "POST"): e(ONLY_OWNER, {}),
    ("video_pages.update_details", "POST"): e(ONLY_OWNER, SAME_TITLE),
    ("video_pages.delete", "POST"): e(ONLY_OWNER, {}, stage=1, video_id="doomed_a"),
    ("video_api.update_video", "PATCH"): e(ONLY_OWNER, SAME_TITLE),
    ("video_api.delete_video", "DELETE"): e(ONLY_OWNER, stage=1, video_id="doomed_b"),
    ("video_api.resume_upload", "GET"): e(ONLY_OWNER),
    ("video_api.complete_upload", "POST"): e(ONLY_OWNER, {"parts": []}),
    ("video_api.put_source", "PUT"): e(ONLY_OWNER, b"not a video"),
    ("video_api.retry_video", "POST"): e(ONLY_OWNER, {}),
    # Its lesson analysis: read like the video, run again by the owner and their coach.
    ("analysis_api.get_analysis", "GET"): e(VIEWERS),
    ("analysis_api.rerun_analysis", "POST"): e(CYCLE, {}),
    ("analysis_api.delete_analysis", "DELETE"): e(ONLY_OWNER),
    ("analysis_api.correct_turn", "PATCH"): e(
        CYCLE, {"speaker": "student"}, variants=({"index": 0},)
    ),
    # Its suggested moments: seen like the video; accepting makes a note, so commenters decide.
    ("suggestions_api.list_suggestions", "GET"): e(VIEWERS),
    ("suggestions_api.accept_suggestion", "POST"): e(
        COMMENTERS, {}, stage=-1, suggestion_id="suggestion_a"
    ),
    ("suggestions_api.dismiss_suggestion", "POST"): e(
        COMMENTERS, {}, stage=-1, suggestion_id="suggestion_b"
    ),
    ("annotations_api.put_captions", "PUT"): e(ONLY_OWNER, CAPTIONS),
    ("annotations_api.delete_captions", "DELETE"): e(ONLY_OWNER),
    ("sharing.share", "POST"): e(ONLY_OWNER, {"email": "shared_view", "permission": "view"}),
    ("sharing.revoke", "POST"): e(ONLY_OWNER, {}, share_id="spare_share_a"),
    ("sharing_api.list_shares", "GET"): e(ONLY_OWNER),
    ("sharing_api.create_share", "POST"): e(
        ONLY_OWNER, {"email": "shared_view", "permission": "view"}
    ),
    ("sharing_api.revoke_share", "DELETE"): e(ONLY_OWNER, share_id="spare_share_b"),
    ("sharing_api.video_audit", "GET"): e(ONLY_OWNER),
    # The coaching cycle of the owner and coach.
    ("coaching_pages.show_cycle", "GET"): e(CYCLE),
    ("coaching_pages.edit_cycle", "GET"): e(CYCLE),
    ("coaching_pages.update_cycle", "POST"): e(CYCLE, {"title": ""}),
    ("coaching_pages.set_status", "POST"): e(CYCLE, {"status": "active"}),
    ("coaching_api.get_cycle", "GET"): e(CYCLE),
    ("coaching_api.update_cycle", "PATCH"): e(CYCLE, {"status": "active"}),
    ("coaching_api.list_goals", "GET"): e(CYCLE),
    ("coaching_api.create_goal", "POST"): e(CYCLE, {"statement": "Wait five seconds"}),
    ("coaching_api.update_goal", "PATCH"): e(CYCLE, {"statement": "Talk 40% of the time"}),
    ("coaching_api.cycle_progress", "GET"): e(CYCLE),
    # Feedback on the coaching: the cycle's teacher alone answers (the coach sees the cycle, so
    # 403; everyone else 404). The cycle is still open here, so the answer itself is a 409.
    ("program_pages.feedback_form", "GET"): e(ONLY_OWNER),
    ("program_pages.answer_feedback", "POST"): e(ONLY_OWNER, FEEDBACK_FORM),
    ("program_api.answer_feedback", "POST"): e(ONLY_OWNER, FEEDBACK),
    # Administration: admins only, and never a teacher's video (checked on every response).
    ("admin.overview", "GET"): e(ONLY_ADMIN),
    ("admin.program_csv", "GET"): e(ONLY_ADMIN),
    ("admin.people", "GET"): e(ONLY_ADMIN),
    ("admin.create_person", "POST"): e(
        ONLY_ADMIN,
        {"name": "New", "email": "new@example.org", "role": "teacher", "password": "x" * 12},
    ),
    ("admin.set_active", "POST"): e(ONLY_ADMIN, {"active": "1"}, user_id="spare_teacher"),
    ("admin.pairings", "GET"): e(ONLY_ADMIN),
    ("admin.create_pairing", "POST"): e(
        ONLY_ADMIN, {"coach_id": "spare_coach", "teacher_id": "spare_teacher"}
    ),
    ("admin.end_pairing", "POST"): e(ONLY_ADMIN, {}, pairing_id="spare_pairing"),
    ("admin.frameworks", "GET"): e(ONLY_ADMIN),
    ("admin.create_framework", "POST"): e(ONLY_ADMIN, {"name": "Matrix framework"}),
    ("admin.add_move", "POST"): e(ONLY_ADMIN, {"name": "Pause", "code": "PZ", "colour": "#123456"}),
    ("admin.edit_move", "GET"): e(ONLY_ADMIN),
    ("admin.update_move", "POST"): e(ONLY_ADMIN, {"name": ""}),
    ("admin.archive_move", "POST"): e(ONLY_ADMIN, {}),
    ("admin.delete_person", "GET"): e(ONLY_ADMIN, user_id="spare_teacher"),
    ("admin.delete_person", "POST"): e(
        ONLY_ADMIN, {"confirm_email": "no"}, user_id="spare_teacher"
    ),
    ("admin.schools", "GET"): e(ONLY_ADMIN),
    ("admin.admin_log", "GET"): e(ONLY_ADMIN),
    ("admin.update_school", "POST"): e(ONLY_ADMIN, {"retention_days": "x"}),
    ("coaching_api.create_framework", "POST"): e(ONLY_ADMIN, {"name": "API framework"}),
    ("coaching_api.create_move", "POST"): e(
        ONLY_ADMIN, {"name": "Cold call", "code": "CC", "colour": "#654321"}
    ),
    ("coaching_api.update_move", "PATCH"): e(ONLY_ADMIN, {"description": "Updated"}),
}


def _routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    } - PUBLIC


def test_every_route_has_an_entry(app):
    """A new route fails here until someone decides, in MATRIX, who may use it."""
    assert sorted(_routes(app) - set(MATRIX)) == []
    assert sorted(set(MATRIX) - _routes(app)) == []


@dataclass
class Secret:
    """What must never reach someone who may not see this video."""

    title: str
    uuid: str
    marker: str
    notes: list
    viewers: frozenset


@dataclass
class World:
    users: dict
    ids: dict
    secrets: list
    private_note: str

    def forbidden(self, actor: str) -> list[str]:
        words = [] if actor == OWNER else [self.private_note]
        for secret in self.secrets:
            if actor not in secret.viewers:
                words += [secret.title, secret.uuid, secret.marker, *secret.notes]
        return words


def _video(session, store, owner, cycle, title: str, marker: str):
    """A processed video whose every stored object carries `marker`."""
    from webapp.db import utcnow
    from webapp.video.models import Status, Video

    video = Video(owner_id=owner.id, cycle_id=cycle.id, title=title, size_bytes=10,
                  original_filename="lesson.mp4", content_type="video/mp4", source_key="",
                  status=Status.READY, duration_ms=60_000, width=640, height=360,
                  uploaded_at=utcnow())  # fmt: skip
    session.add(video)
    session.flush()
    video.source_key = f"{video.prefix}source/lesson.mp4"
    video.output_prefix = f"{video.prefix}r1/"
    video.outputs = {"poster": "poster.jpg"}  # what a list's thumbnail shows
    data = f"#EXTM3U\n# {marker}\n".encode()
    store.put_stream(video.source_key, io.BytesIO(data), "video/mp4")
    for name in MEDIA_FILES:
        store.put_stream(video.output_prefix + name, io.BytesIO(data), "application/octet-stream")
    return video


def _note(video, author, body: str, **extra) -> int:
    from webapp.annotations import services as notes
    from webapp.annotations.schemas import AnnotationCreate

    return notes.create(video, author, AnnotationCreate(start_ms=1000, body=body, **extra)).id


def _analyse(video) -> list:
    """A done analysis with two questions followed by long waits, and its suggestions."""
    from webapp import db
    from webapp.analysis.models import LessonAnalysis
    from webapp.suggestions import services as suggestions
    from worker.analysis.stored import refigure

    spans = [(1000, 3000, "teacher"), (7000, 8000, "student"), (9000, 11000, "teacher"),
             (15000, 16000, "student")]  # fmt: skip
    turns = [{"start_ms": a, "end_ms": b, "speaker": who} for a, b, who in spans]
    questions = [{"start_ms": a, "end_ms": a + 2000, "text": f"Secret question {n} 6f4?",
                  "open": True, "wait_ms": 4000, "next_speaker": "student", "rule": ""}
                 for n, a in ((1, 1000), (2, 9000))]  # fmt: skip
    speech = [{"start_ms": a, "end_ms": b} for a, b, _ in spans]
    metrics, questions = refigure(60_000, speech, turns, questions)
    analysis = LessonAnalysis(video_id=video.id, status="done", duration_ms=60_000, turns=turns,
                              speech=speech, questions=questions, metrics=metrics)  # fmt: skip
    db.session().add(analysis)
    db.session().flush()
    return suggestions.refresh(video, analysis)


def _build(app, make_user) -> World:
    """Owner + paired coach with a cycle, three videos with notes, shares, spare people."""
    from webapp import db
    from webapp.auth import services as accounts
    from webapp.coaching import pairings
    from webapp.coaching import services as coaching
    from webapp.sharing import services as sharing
    from webapp.video.storage import storage

    people = {a: make_user(ROLES[a], email=f"{a}@example.org", name=a.replace("_", " ").title())
              for a in ACTORS if a != ANON}  # fmt: skip
    people["spare_teacher"] = make_user("teacher", email="spare_teacher@example.org")
    people["spare_coach"] = make_user("coach", email="spare_coach@example.org")
    with app.app_context():
        session, store = db.session(), storage()
        u = {name: session.merge(user) for name, user in people.items()}

        def accepted(coach, teacher):
            return pairings.respond(pairings.pair(coach, teacher), teacher, accept=True)

        accepted(u[COACH], u[OWNER])
        pairings.pair(u[PENDING], u[OWNER])
        pairings.respond(pairings.pair(u[DECLINED], u[OWNER]), u[OWNER], accept=False)
        pairings.end_pairing(accepted(u[ENDED], u[OWNER]), u[OWNER])
        pairings.pair(u[ADMIN_COACH], u[OWNER], requested_by=u[ADMIN_COACH])
        spare_pairing = accepted(u["spare_coach"], u["spare_teacher"])
        spare_request = pairings.pair(u["spare_coach"], u[OWNER])
        spare_request_other = pairings.pair(u["spare_coach"], u[OTHER])
        cycle = coaching.create_cycle(teacher=u[OWNER], coach=u[COACH], title="Cycle",
                                      goals=["Students talk more"])  # fmt: skip
        main = _video(session, store, u[OWNER], cycle, "Main lesson 7f3a", "MEDIA-main-b81")
        doomed = [_video(session, store, u[OWNER], cycle, f"Doomed lesson {c}", f"MEDIA-{c}-c93")
                  for c in "ab"]  # fmt: skip
        share = {a: sharing.share(main, u[OWNER], email=u[a].email, permission=p)
                 for a, p in ((VIEWER, "view"), (COMMENTER, "comment"), (REVOKED, "view"),
                              ("spare_teacher", "view"), ("spare_coach", "view"))}  # fmt: skip
        sharing.revoke(share[REVOKED])
        secret_notes = ["Secret note: pacing drifts 4b1", "Secret reply: thank you 9d2"]
        note_id = _note(main, u[COACH], secret_notes[0])
        _note(main, u[OWNER], secret_notes[1], parent_id=note_id)
        _note(main, u[OWNER], "Private reflection 5e7", private=True)
        doomed_note = _note(main, u[COACH], "Secret note: doomed 2c8")
        secret_notes.append("Secret note: doomed 2c8")
        suggested = _analyse(main)
        secret_notes += ["Secret question 1 6f4?", "Secret question 2 6f4?"]
        for video in doomed:
            _note(video, u[COACH], f"Secret note on {video.title} 7a1")
        for _ in range(2):
            accounts.issue_token(u[OWNER])
        tokens = sorted(t.id for t in accounts.list_tokens(u[OWNER]))
        framework = coaching.default_framework()
        ids = {
            "video_id": main.id, "doomed_a": doomed[0].id, "doomed_b": doomed[1].id,
            "cycle_id": cycle.id, "goal_id": cycle.goals[0].id, "annotation_id": note_id,
            "doomed_note": doomed_note, "framework_id": framework.id,
            "move_id": framework.moves[0].id, "school_id": u[OWNER].school_id,
            "token_a": tokens[0], "token_b": tokens[1],
            "spare_share_a": share["spare_teacher"].id, "spare_share_b": share["spare_coach"].id,
            "spare_pairing": spare_pairing.id, "spare_request": spare_request.id,
            "spare_request_other": spare_request_other.id, "spare_teacher": u["spare_teacher"].id,
            "spare_coach": u["spare_coach"].id, "owner": u[OWNER].id,
            "suggestion_a": suggested[0].id, "suggestion_b": suggested[1].id,
        }  # fmt: skip
        secrets = [Secret(main.title, main.uuid, "MEDIA-main-b81", secret_notes, VIEWERS)] + [
            Secret(v.title, v.uuid, f"MEDIA-{c}-c93", [f"Secret note on {v.title} 7a1"], CYCLE)
            for v, c in zip(doomed, "ab", strict=True)
        ]
        session.commit()
    return World(people, ids, secrets, "Private reflection 5e7")


class Actors:
    """One signed-in browser per actor (the anonymous one has just opened the sign-in page)."""

    def __init__(self, app, world: World):
        self.app, self.world, self.clients, self.csrf = app, world, {}, {}
        for actor in ACTORS:
            self.sign_in(actor)

    def sign_in(self, actor: str) -> None:
        client = self.app.test_client()
        if actor != ANON:
            Auth(client).login(self.world.users[actor].email)
        self.clients[actor] = client
        self.csrf[actor] = csrf_token(client, "/login" if actor == ANON else "/account")

    def send(self, actor: str, rule, method: str, entry: Entry, variant: dict):
        """The request this entry describes, as this actor, with a CSRF token like a browser."""
        path = rule.build({**self._path_ids(rule, entry, variant), **variant}, append_unknown=True)[
            1
        ]  # a variant's key that is no path parameter goes in the query string
        client, token = self.clients[actor], self.csrf[actor]
        if method == "GET":
            return client.get(path)
        body = self._resolve(entry.body)
        if isinstance(body, bytes):
            headers = {"X-CSRFToken": token, "Content-Type": "application/octet-stream"}
            return client.open(path, method=method, data=body, headers=headers)
        if rule.rule.startswith("/api/"):
            return client.open(path, method=method, json=body or {}, headers={"X-CSRFToken": token})
        return client.open(path, method=method, data={**(body or {}), "csrf_token": token})

    def _path_ids(self, rule, entry: Entry, variant: dict) -> dict:
        defaults = {"user_id": "spare_teacher", "pairing_id": "spare_pairing",
                    "token_id": "token_a", "share_id": "spare_share_a"}  # fmt: skip
        return {
            arg: self.world.ids[entry.ids.get(arg) or defaults.get(arg, arg)]
            for arg in rule.arguments
            if arg not in variant
        }

    def _resolve(self, body):
        """Bodies name people and objects by actor or world name; send their real ids/emails."""
        if not isinstance(body, dict):
            return body
        out = {}
        for key, value in body.items():
            if key.endswith("_id") and value in self.world.ids:
                value = self.world.ids[value]
            elif key == "email" and value in self.world.users:
                value = self.world.users[value].email
            out[key] = value
        return out


def _refused(reply, actor: str) -> bool:
    """401/403/404, or for someone signed out, the way to the sign-in page.

    (Signed-in people meet that redirect only after signing out, which is success.)
    """
    if reply.status_code in (401, 403, 404):
        return True
    return actor == ANON and reply.status_code == 302 and urlsplit(reply.location).path == "/login"


def test_matrix(app, make_user):
    world = _build(app, make_user)
    actors = Actors(app, world)
    rules = {(r.endpoint, m): r for r in app.url_map.iter_rules() for m in r.methods}
    problems = []

    def check(key, actor):
        entry = MATRIX[key]
        for variant in entry.variants:
            reply = actors.send(actor, rules[key], key[1], entry, variant)
            label = f"{key[0]} {key[1]} {variant or ''} as {actor}: {reply.status_code}"
            if reply.status_code == 400 or reply.status_code >= 500:
                problems.append(label + " (a broken request proves nothing)")
            elif _refused(reply, actor) == (actor in entry.allowed):
                problems.append(label + (" refused" if actor in entry.allowed else " let in"))
            answer = reply.get_data(as_text=True) + (reply.location or "")
            leaked = [w for w in world.forbidden(actor) if w in answer]
            if leaked:
                problems.append(f"{label} leaked {leaked}")

    reads = sorted(k for k in MATRIX if k[1] == "GET")
    writes = sorted((k for k in MATRIX if k[1] != "GET"), key=lambda k: (MATRIX[k].stage, k))
    for key in reads:
        for actor in ACTORS:
            check(key, actor)
    for key in writes:
        allowed = MATRIX[key].allowed
        for actor in sorted(ACTORS, key=lambda a: a in allowed):  # refusals first
            check(key, actor)
            if MATRIX[key].stage == 2 and actor in allowed:
                actors.sign_in(actor)  # that request ended the actor's session
    for key in reads:  # again: logs, audit trails and overviews now have something to show
        for actor in ACTORS:
            check(key, actor)
    assert problems == [], "\n".join(problems)
