"""Search finds exactly what the lists show (DESIGN §4), on both databases: a lesson and the
words said in it by `video_clause`, notes by `note_clause`. Admins, unpaired or pending coaches
and other teachers find nothing of a teacher's; nobody finds another person's "only me" note or
a deleted note's text; a revoked share finds nothing again."""

import re

import pytest

from tests.conftest import bearer
from tests.library.test_search import captions, find, note

WORD = "kumquat"  # in every text below, so one search shows everything each person may find


@pytest.fixture
def world(app, make_user, pair_users, make_ready_video):
    from webapp import db
    from webapp.annotations import services as notes
    from webapp.annotations.models import Annotation
    from webapp.coaching import pairings
    from webapp.sharing import services as sharing
    from webapp.video.models import Video

    people = {name: make_user(role, name=name) for name, role in (
        ("owner", "teacher"), ("coach", "coach"), ("viewer", "teacher"), ("admin", "admin"),
        ("unpaired", "coach"), ("other", "teacher"), ("pending", "coach"), ("revoked", "teacher"),
    )}  # fmt: skip
    pair_users(people["coach"], people["owner"])
    video_id = make_ready_video(people["owner"], title=f"Owner lesson {WORD}")
    other_video = make_ready_video(people["other"], title=f"Other lesson {WORD}")
    note(app, video_id, people["coach"], f"Coach note {WORD}", start_ms=1000)
    note(app, video_id, people["owner"], f"Owner private {WORD}", start_ms=2000, private=True)
    note(app, video_id, people["coach"], f"Coach private {WORD}", start_ms=3000, private=True)
    doomed = note(app, video_id, people["coach"], f"Deleted note {WORD}", start_ms=4000)
    note(app, other_video, people["other"], f"Other note {WORD}", start_ms=5000)
    captions(app, video_id, f"WEBVTT\n\n00:06.000 --> 00:07.000\nSaid {WORD}\n".encode())
    with app.app_context():
        session = db.session()
        video, u = session.get(Video, video_id), {k: session.merge(v) for k, v in people.items()}
        pairings.pair(u["pending"], u["owner"])
        sharing.share(video, u["owner"], email=u["viewer"].email, permission="view")
        sharing.revoke(sharing.share(video, u["owner"], email=u["revoked"].email))
        notes.delete(session.get(Annotation, doomed))
        session.commit()
    return people


OWNER_LESSON = {"title Owner lesson", "note Coach note", "transcript Said"}
EXPECTED = {
    "owner": OWNER_LESSON | {"note Owner private"},
    "coach": OWNER_LESSON | {"note Coach private"},
    "viewer": OWNER_LESSON,
    "admin": set(),
    "unpaired": set(),
    "pending": set(),
    "revoked": set(),
    "other": {"title Other lesson", "note Other note"},
}


def _found(hits) -> set[str]:
    """Each hit as its kind and its text before the search word (tags removed)."""
    return {f"{h.kind} {re.sub('<[^>]+>', '', h.snippet).split(WORD)[0].strip()}" for h in hits}


@pytest.mark.parametrize("actor", sorted(EXPECTED))
def test_each_person_finds_exactly_what_they_may_see(app, world, actor):
    assert _found(find(app, world[actor], WORD)) == EXPECTED[actor]


def test_a_deleted_note_is_never_found_not_even_by_its_author(app, world):
    for actor in ("owner", "coach"):
        assert find(app, world[actor], "deleted") == []


def test_the_api_applies_the_same_rule(app, client, world):
    for actor in ("viewer", "admin", "other"):
        reply = client.get(f"/api/v1/search?q={WORD}", headers=bearer(client, world[actor].email))
        assert {f"{h['kind']} {h['video_title']}" for h in reply.get_json()["hits"]} == {
            f"{found.split()[0]} {'Other' if actor == 'other' else 'Owner'} lesson {WORD}"
            for found in EXPECTED[actor]
        }


def test_reading_notes_in_results_is_in_the_owners_audit(app, client, world):
    from sqlalchemy import select

    from webapp import db
    from webapp.sharing.models import AuditEvent

    client.get(f"/api/v1/search?q={WORD}", headers=bearer(client, world["viewer"].email))
    client.get("/api/v1/search?q=lesson", headers=bearer(client, world["admin"].email))
    with app.app_context():
        views = db.session().execute(select(AuditEvent.actor_id, AuditEvent.detail)).all()
    assert [(actor, detail["via"]) for actor, detail in views if "via" in detail] == [
        (world["viewer"].id, "search")
    ]
