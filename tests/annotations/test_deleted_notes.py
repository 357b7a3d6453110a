"""A deleted note is gone: its text is erased in the database and every reader gets a tombstone."""

import csv
import io
from datetime import timedelta

from sqlalchemy import select

from tests.annotations.test_timeline_json import both_ways
from webapp import db
from webapp.annotations.models import Annotation

SECRET = "The fire drill went badly, tell nobody"
TOMBSTONE = {"id", "deleted", "updated_at"}


def _notes(s):
    return f"/api/v1/videos/{s.video_id}/annotations"


def test_a_deleted_thread_and_its_replies_leave_only_tombstones(app, client, setup):
    s = setup
    thread = client.post(_notes(s), headers=s.coach_h, json={
        "start_ms": 2000, "body": SECRET, "move_id": s.move_ids[0], "goal_id": s.goal_ids[0]},
    ).get_json()  # fmt: skip
    answer = {"parent_id": thread["id"], "body": SECRET + " (reply)"}
    reply = client.post(_notes(s), headers=s.teacher_h, json=answer).get_json()
    kept = client.post(_notes(s), headers=s.coach_h, json={"start_ms": 1, "body": "kept"})
    long_ago = (db.utcnow() - timedelta(days=1)).isoformat()
    deleted = client.delete(f"/api/v1/annotations/{thread['id']}", headers=s.coach_h)
    assert deleted.status_code == 204

    for headers in (s.teacher_h, s.coach_h):  # polling, as every viewer does
        listed = client.get(_notes(s), query_string={"since": long_ago}, headers=headers)
        notes = {n["id"]: n for n in listed.get_json()["annotations"]}
        assert SECRET not in listed.get_data(as_text=True)
        for gone in (thread["id"], reply["id"]):
            assert set(notes[gone]) == TOMBSTONE and notes[gone]["deleted"] is True
        assert notes[kept.get_json()["id"]]["body"] == "kept"
        paged = client.get(_notes(s), query_string={"since": long_ago, "limit": 10},
                           headers=headers)  # fmt: skip
        assert SECRET not in paged.get_data(as_text=True)
    with app.app_context():  # erased, not merely flagged
        rows = db.session().scalars(select(Annotation).where(Annotation.deleted_at.is_not(None)))
        assert [(r.body, r.move_id, r.goal_id) for r in rows] == [("", None, None)] * 2
    since = db.utcnow() - timedelta(days=1)
    from_sql, from_models = both_ways(app, s.video_id, s.teacher.id, since=since)
    assert from_sql == from_models and sum(set(n) == TOMBSTONE for n in from_sql) == 2


def test_deleting_a_reply_keeps_its_thread(client, setup):
    s = setup
    thread = client.post(_notes(s), headers=s.coach_h, json={"start_ms": 2000, "body": "t"})
    reply = client.post(_notes(s), headers=s.teacher_h,
                        json={"parent_id": thread.get_json()["id"], "body": SECRET})  # fmt: skip
    client.delete(f"/api/v1/annotations/{reply.get_json()['id']}", headers=s.teacher_h)
    listed = client.get(_notes(s), headers=s.coach_h).get_json()["annotations"]
    assert [n["body"] for n in listed] == ["t"]


def test_no_export_or_page_shows_a_deleted_note(client, setup):
    s = setup
    note = client.post(_notes(s), headers=s.coach_h, json={
        "start_ms": 2000, "body": SECRET, "kind": "next_step", "goal_id": s.goal_ids[0]},
    ).get_json()  # fmt: skip
    client.delete(f"/api/v1/annotations/{note['id']}", headers=s.coach_h)
    for path in (f"{_notes(s)}.vtt", f"{_notes(s)}.csv", f"{_notes(s)}.csv?private=1"):
        reply = client.get(path, headers=s.coach_h)
        assert reply.status_code == 200 and SECRET not in reply.get_data(as_text=True), path
    sheet = client.get(f"{_notes(s)}.csv", headers=s.coach_h).get_data(as_text=True)
    assert list(csv.DictReader(io.StringIO(sheet))) == []
    for page in (f"/videos/{s.video_id}/summary", f"/cycles/{s.cycle_id}"):
        html = client.get(page, headers=s.coach_h)
        assert html.status_code == 200 and SECRET not in html.get_data(as_text=True), page


def test_the_migration_erases_notes_deleted_before_it(app, database_url):
    """0008 erases what older code only flagged (run here on rows made to look like that)."""
    import importlib

    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    erase = importlib.import_module("migrations.versions.0008_erase_deleted_notes")
    engine = app.extensions["db_engine"]
    with app.app_context():
        from webapp.auth import services as accounts
        from webapp.video.models import Status, Video

        user = accounts.create_user(email="old@example.org", name="Old", role="teacher",
                                    password="correct horse battery",
                                    school=accounts.get_or_create_school("S"))  # fmt: skip
        video = Video(owner_id=user.id, title="L", size_bytes=1, original_filename="l.mp4",
                      content_type="video/mp4", source_key="k", status=Status.READY,
                      duration_ms=1000)  # fmt: skip
        old = Annotation(video=video, author=user, start_ms=0, body=SECRET, deleted_at=db.utcnow())
        live = Annotation(video=video, author=user, start_ms=0, body="live")
        db.session().add_all([old, live])
        db.session().commit()
        old_id, live_id = old.id, live.id
    with engine.begin() as conn:
        context = MigrationContext.configure(conn)
        with Operations.context(context):
            erase.upgrade()
    with app.app_context():
        assert db.session().get(Annotation, old_id).body == ""
        assert db.session().get(Annotation, live_id).body == "live"
