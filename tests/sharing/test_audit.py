"""The audit record: views by others (deduplicated), shares, revokes, admin actions."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.conftest import csrf_token
from tests.sharing.conftest import audit_rows, share


def test_views_by_others_are_recorded_once_per_ten_minutes(app, client, people, make_ready_video):
    from webapp import db
    from webapp.db import utcnow
    from webapp.sharing.models import AuditEvent

    video_id = make_ready_video(people.owner)
    for _ in range(3):  # the owner's own views are not recorded
        client.get(f"/videos/{video_id}", headers=people.headers["owner"])
    for _ in range(3):  # a polling page
        client.get(f"/api/v1/videos/{video_id}", headers=people.headers["coach"])
        client.get(f"/videos/{video_id}", headers=people.headers["coach"])
        client.get(f"/videos/{video_id}/summary", headers=people.headers["coach"])
    client.get(f"/videos/{video_id}", headers=people.headers["stranger"])  # 404: not a view
    views = audit_rows(app, action="video.viewed")
    assert len(views) == 1
    assert views[0]["actor"] == {"id": people.coach.id, "name": "Cora Coach", "role": "coach"}
    assert views[0]["detail"] == {"title": "Fractions lesson", "access": "coach", "via": "api"}

    with app.app_context():  # eleven minutes later (Core: the ORM refuses to touch audit rows)
        earlier = update(AuditEvent).values(created_at=utcnow() - timedelta(minutes=11))
        db.session().execute(earlier)
        db.session().commit()
        from webapp.queue import connection

        markers = connection().keys(f"{app.config['QUEUE_NAME']}:viewed:*")
        assert markers  # repeated views were answered from Redis, without the database
        connection().delete(*markers)  # what their ten-minute expiry does
    client.get(f"/videos/{video_id}", headers=people.headers["coach"])
    assert len(audit_rows(app, action="video.viewed")) == 2


def test_owner_reads_the_audit_others_cannot(app, client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    share_id = share(
        client, owner, video_id, people.peer.email, permission="comment", expires_at="2099-01-01"
    ).get_json()["id"]
    client.get(f"/videos/{video_id}", headers=people.headers["peer"])
    client.delete(f"/api/v1/videos/{video_id}/shares/{share_id}", headers=owner)

    reply = client.get(f"/api/v1/videos/{video_id}/audit", headers=owner)
    assert reply.status_code == 200
    events = reply.get_json()["events"]
    assert [e["action"] for e in events] == ["share.revoked", "video.viewed", "share.created"]
    created = events[-1]
    assert created["actor"]["name"] == "Olive Owner"
    assert created["subject"] == {"id": people.peer.id, "name": "Pete Peer", "role": "teacher"}
    assert created["detail"]["permission"] == "comment"
    assert created["detail"]["expires_at"] == "2099-01-02T00:00:00.000000Z"
    assert events[1]["actor"]["name"] == "Pete Peer" and events[1]["detail"]["access"] == "share"
    assert reply.get_json()["next_page"] is None
    far = client.get(f"/api/v1/videos/{video_id}/audit?page=99999999999999999999", headers=owner)
    assert far.status_code == 200 and far.get_json()["events"] == []

    path = f"/api/v1/videos/{video_id}/audit"
    assert client.get(path, headers=people.headers["coach"]).status_code == 403
    for role in ("peer", "admin", "stranger"):
        assert client.get(path, headers=people.headers[role]).status_code == 404, role

    page = client.get(f"/videos/{video_id}", headers=owner).get_data(as_text=True)
    assert "Who has seen my video" in page and "Pete Peer" in page
    assert "Stopped sharing with Pete Peer" in page
    coach_page = client.get(f"/videos/{video_id}", headers=people.headers["coach"])
    assert "Who has seen my video" not in coach_page.get_data(as_text=True)


def test_audit_rows_are_append_only(app, people):
    from webapp import db
    from webapp.sharing import audit
    from webapp.sharing.models import AuditEvent

    with app.app_context():
        audit.record(db.session().merge(people.owner), "test.event")
        db.session().commit()
        event = db.session().query(AuditEvent).filter_by(action="test.event").one()
        event.action = "changed"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session().flush()
        db.session().rollback()
        db.session().delete(db.session().query(AuditEvent).filter_by(action="test.event").one())
        with pytest.raises(RuntimeError, match="append-only"):
            db.session().flush()


def _admin_form(client, path):
    return {"csrf_token": csrf_token(client, path)}


def test_admin_actions_on_pages_and_api_are_recorded(app, client, auth, people):
    auth.login(people.admin.email)
    form = _admin_form(client, "/admin/people")
    client.post(
        "/admin/people",
        data={
            **form,
            "name": "Nina New",
            "email": "nina@example.org",
            "role": "teacher",
            "password": "long enough pw",
        },
    )
    client.post(f"/admin/people/{people.stranger.id}/active", data={**form, "active": "0"})
    client.post(
        "/admin/pairings", data={**form, "coach_id": people.coach.id, "teacher_id": people.peer.id}
    )
    with app.app_context():
        from webapp.coaching.pairings import open_pairing

        pairing_id = open_pairing(people.coach.id, people.peer.id).id
    client.post(f"/admin/pairings/{pairing_id}/end", data=form)
    admin = people.headers["admin"]
    framework = client.post("/api/v1/frameworks", json={"name": "Talk moves"}, headers=admin)
    framework_id = framework.get_json()["id"]
    move = client.post(
        f"/api/v1/frameworks/{framework_id}/moves",
        headers=admin,
        json={"name": "Revoice", "code": "RV", "colour": "#123456"},
    )
    client.patch(f"/api/v1/moves/{move.get_json()['id']}", json={"archived": True}, headers=admin)
    client.post(f"/admin/moves/{move.get_json()['id']}/archive", data={**form, "archived": "0"})

    rows = audit_rows(app, actor_id=people.admin.id)
    assert [r["action"] for r in rows] == [
        "admin.person.created",
        "admin.person.deactivated",
        "admin.pairing.requested",
        "admin.pairing.withdrawn",
        "admin.framework.created",
        "admin.move.added",
        "admin.move.updated",
        "admin.move.restored",
    ]
    assert all(r["actor"]["name"] == "Ada Admin" for r in rows)
    assert rows[0]["subject"]["name"] == "Nina New" and rows[0]["detail"]["role"] == "teacher"
    assert "password" not in str(rows)
    assert rows[1]["subject"]["id"] == people.stranger.id
    assert rows[3]["subject"]["name"] == "Pete Peer" and rows[3]["detail"]["coach"] == "Cora Coach"
    assert rows[5]["detail"] == {"framework": "Talk moves", "move": "Revoice", "code": "RV"}


def test_failed_admin_actions_leave_no_row(app, client, auth, people):
    auth.login(people.admin.email)
    form = _admin_form(client, "/admin/people")
    reply = client.post(
        "/admin/people",
        data={**form, "name": "X", "email": "bad", "role": "teacher", "password": "short"},
    )
    assert reply.status_code == 422
    assert [r for r in audit_rows(app) if r["action"].startswith("admin.person")] == []


def test_admin_log_lists_admin_actions_but_no_views(app, client, auth, people, make_ready_video):
    video_id = make_ready_video(people.owner, title="Private lesson")
    client.get(f"/videos/{video_id}", headers=people.headers["coach"])
    admin = people.headers["admin"]
    client.post(
        "/api/v1/pairings",
        headers=admin,
        json={"coach_id": people.coach.id, "teacher_id": people.peer.id},
    )
    auth.login(people.coach.email)
    assert client.get("/admin/log").status_code == 403
    auth.logout()
    auth.login(people.admin.email)
    page = client.get("/admin/log").get_data(as_text=True)
    assert "pairing requested" in page and "Pete Peer" in page and "Cora Coach" in page
    assert "Private lesson" not in page and "viewed" not in page


def test_cli_admin_commands_are_recorded(app, runner, make_user):
    coach = make_user("coach")
    args = [
        "users",
        "create",
        "--email",
        "cli@example.org",
        "--name",
        "Cli Teacher",
        "--role",
        "teacher",
        "--password",
        "long enough pw",
        "--school",
        "Test School",
    ]
    assert runner.invoke(args=args).exit_code == 0
    assert runner.invoke(args=["pair", coach.email, "cli@example.org"]).exit_code == 0
    rows = audit_rows(app)
    assert [(r["action"], r["actor"], r["detail"]["via"]) for r in rows] == [
        ("admin.person.created", None, "cli"),
        ("admin.pairing.requested", None, "cli"),
    ]
    assert rows[1]["subject"]["name"] == "Cli Teacher"
