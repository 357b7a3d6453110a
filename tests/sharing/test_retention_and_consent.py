"""A school's retention period (with notice on the page first) and its consent policy."""

import io
from datetime import timedelta

from sqlalchemy import update

from tests.conftest import csrf_token
from tests.sharing.conftest import audit_rows


def _school_form(client, school_id, **fields):
    token = csrf_token(client, "/admin/schools")
    data = {"csrf_token": token, "consent_policy": "", "retention_days": "", **fields}
    return client.post(f"/admin/schools/{school_id}", data=data)


def _school_id(app, user) -> int:
    from webapp import db
    from webapp.auth.models import User

    with app.app_context():
        return db.session().get(User, user.id).school_id


def _video_ids(app) -> set[int]:
    from sqlalchemy import select

    from webapp import db
    from webapp.video.models import Video

    with app.app_context():
        return set(db.session().scalars(select(Video.id)))


def test_retention_gives_notice_then_deletes_only_old_recordings(
    app, client, auth, people, make_ready_video, make_user
):
    from webapp import db
    from webapp.auth.models import School
    from webapp.db import utcnow
    from webapp.sharing.deletion import expire_recordings
    from webapp.video.models import Video
    from webapp.video.storage import storage

    now = utcnow()
    old = make_ready_video(people.owner, title="Old", created_at=now - timedelta(days=40))
    soon = make_ready_video(people.owner, title="Soon", created_at=now - timedelta(days=29))
    # Due in 13 days 23 hours 55 minutes: just inside the notice period.
    at_notice = make_ready_video(
        people.owner, title="Notice", created_at=now - timedelta(days=16, minutes=5)
    )
    fresh = make_ready_video(people.owner, title="Fresh", created_at=now - timedelta(days=15))
    elsewhere = make_ready_video(
        make_user("teacher", school="Keep School"),
        title="Elsewhere",
        created_at=now - timedelta(days=400),
    )
    with app.app_context():
        prefix = db.session().get(Video, old).prefix
        storage().put_stream(prefix + "poster.jpg", io.BytesIO(b"jpeg"), "image/jpeg")

    auth.login(people.admin.email)
    assert (
        _school_form(client, _school_id(app, people.owner), retention_days="30").status_code == 302
    )
    [setting] = audit_rows(app, action="admin.school.updated")
    assert setting["detail"]["retention_days"] == 30

    # Just switched on: even the 40-day-old recording first gets 14 days' notice.
    with app.app_context():
        assert expire_recordings() == []
    owner = people.headers["owner"]
    page = client.get(f"/videos/{old}", headers=owner).get_data(as_text=True)
    due = (now + timedelta(days=14)).strftime("%d %B %Y")
    assert f"This recording will be deleted on {due}" in page

    with app.app_context():  # the notice period has run out
        db.session().execute(update(School).values(retention_since=now - timedelta(days=15)))
        db.session().commit()
    notices = {
        video_id: "This recording will be deleted on"
        in client.get(f"/videos/{video_id}", headers=owner).get_data(as_text=True)
        for video_id in (soon, at_notice, fresh)
    }
    assert notices == {soon: True, at_notice: True, fresh: False}
    soon_page = client.get(f"/videos/{soon}", headers=owner).get_data(as_text=True)
    assert f"deleted on {(now + timedelta(days=1)).strftime('%d %B %Y')}" in soon_page

    with app.app_context():
        assert expire_recordings() == [old]
        assert list(storage().list_keys(prefix)) == []
    assert _video_ids(app) == {soon, at_notice, fresh, elsewhere}
    [deleted] = audit_rows(app, action="video.deleted")
    assert deleted["actor"] is None and deleted["video_id"] == old
    assert deleted["detail"]["reason"] == "retention (30 days)"
    assert deleted["detail"]["title"] == "Old"


def test_school_settings_are_validated_and_for_admins_only(app, client, auth, people):
    school_id = _school_id(app, people.owner)
    auth.login(people.coach.email)
    assert client.get("/admin/schools").status_code == 403
    auth.logout()
    auth.login(people.admin.email)
    assert client.get("/admin/schools").status_code == 200
    for fields, error in (
        ({"require_consent": "1"}, "Write the policy teachers confirm before requiring it."),
        ({"retention_days": "0"}, "A whole number of days from 1 to 3650."),
        ({"retention_days": "a year"}, "A whole number of days from 1 to 3650."),
    ):
        reply = _school_form(client, school_id, **fields)
        assert reply.status_code == 422 and error in reply.get_data(as_text=True), fields
    assert audit_rows(app, actor_id=people.admin.id) == []


def test_consent_optional_by_default_and_kept_when_given(app, client, people):
    owner = people.headers["owner"]
    body = {"title": "L", "filename": "l.mp4", "size_bytes": 10, "content_type": "video/mp4"}
    plain = client.post("/api/v1/videos", json=body, headers=owner)
    assert plain.status_code == 201
    assert plain.get_json()["consent"] == {"confirmed_at": None, "policy_version": None}
    confirmed = client.post("/api/v1/videos", json={**body, "consent": True}, headers=owner)
    assert confirmed.status_code == 201
    page = client.get(f"/videos/{plain.get_json()['id']}", headers=owner).get_data(as_text=True)
    assert "No consent confirmation was recorded" in page
    page = client.get(f"/videos/{confirmed.get_json()['id']}", headers=owner).get_data(as_text=True)
    assert "confirmed on" in page and "consent policy" in page


def test_required_consent_refuses_uploads_without_it(app, client, auth, people):
    from webapp import db
    from webapp.video.models import Video

    auth.login(people.admin.email)
    school_id = _school_id(app, people.owner)
    policy = "Families opted out are seated off camera.\nRecordings stay inside Debrief."
    assert (
        _school_form(client, school_id, require_consent="1", consent_policy=policy).status_code
        == 302
    )
    assert (
        _school_form(
            client, school_id, require_consent="1", consent_policy=policy + " v2"
        ).status_code
        == 302
    )

    owner = people.headers["owner"]
    body = {"title": "L", "filename": "l.mp4", "size_bytes": 10, "content_type": "video/mp4"}
    for consent in (None, False):
        refused = client.post("/api/v1/videos", json={**body, "consent": consent}, headers=owner)
        assert refused.status_code == 400
        error = refused.get_json()["error"]
        assert error["code"] == "consent_required" and "consent policy" in error["message"]
        assert error["fields"] == {"consent": "Required by your school."}
    assert (
        client.post("/api/v1/videos", json={**body, "consent": "yes"}, headers=owner).status_code
        == 422
    )
    assert _video_ids(app) == set()

    accepted = client.post("/api/v1/videos", json={**body, "consent": True}, headers=owner)
    assert accepted.status_code == 201
    assert accepted.get_json()["consent"]["policy_version"] == 2
    assert accepted.get_json()["consent"]["confirmed_at"].endswith("Z")
    with app.app_context():
        video = db.session().get(Video, accepted.get_json()["id"])
        assert video.consent_confirmed_at is not None
        assert video.consent_policy == policy + " v2" and video.consent_policy_version == 2

    upload_page = client.get("/videos/upload", headers=owner).get_data(as_text=True)
    assert 'data-required="true"' in upload_page and "Families opted out" in upload_page
    show = client.get(f"/videos/{video.id}", headers=owner).get_data(as_text=True)
    assert "(version 2)" in show and "Recordings stay inside Debrief. v2" in show


def test_the_periodic_maintenance_job_applies_retention(app, people, make_ready_video):
    from webapp import db
    from webapp.auth.models import School
    from webapp.db import utcnow
    from webapp.maintenance import run_maintenance

    old = make_ready_video(people.owner, created_at=utcnow() - timedelta(days=8))
    kept = make_ready_video(people.owner)
    with app.app_context():
        db.session().execute(update(School).values(retention_days=7))
        db.session().commit()
    with app.app_context():  # the worker's own context (worker/runner.py)
        run_maintenance()
    assert _video_ids(app) == {kept}
    assert [e["video_id"] for e in audit_rows(app, action="video.deleted")] == [old]
