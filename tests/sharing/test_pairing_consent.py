"""A pairing grants a coach access only once the teacher accepts it, and every change is audited.

The review found an admin could make themselves any teacher's coach and read everything.
"""

import re

from tests.conftest import bearer, csrf_token
from tests.sharing.conftest import audit_rows


def _reads(client, headers, video_id) -> list[int]:
    """Status codes of the video, its notes and its poster, as the holder of `headers`."""
    paths = (f"/api/v1/videos/{video_id}", f"/api/v1/videos/{video_id}/annotations",
             f"/videos/{video_id}/media/poster.jpg")  # fmt: skip
    return [client.get(path, headers=headers).status_code for path in paths]


def _home_form(client, action: str) -> dict:
    """The CSRF token of the home page, checking that it offers `action`."""
    page = client.get("/").get_data(as_text=True)
    assert f'action="{action}"' in page, action
    return {"csrf_token": csrf_token(client, "/")}


def test_admin_self_pairing_grants_nothing_until_the_teacher_accepts(
    app, client, auth, make_user, make_ready_video
):
    admin = make_user("admin", name="Alex Admin")
    teacher = make_user("teacher", name="Tia Teacher")
    video_id = make_ready_video(teacher)
    admin_h = bearer(client, admin.email)
    asked = client.post(
        "/api/v1/pairings", json={"coach_id": admin.id, "teacher_id": teacher.id}, headers=admin_h
    )
    assert asked.status_code == 201 and asked.get_json()["status"] == "pending"
    pairing_id = asked.get_json()["id"]
    assert _reads(client, admin_h, video_id) == [404, 404, 404]
    assert client.get("/api/v1/cycles", headers=admin_h).get_json()["cycles"] == []

    auth.login(teacher.email)
    page = client.get("/").get_data(as_text=True)
    assert "Alex Admin" in page and "asks to be your coach" in page
    accept = f"/pairings/{pairing_id}/accept"
    assert client.post(accept, data=_home_form(client, accept)).status_code == 302
    assert _reads(client, admin_h, video_id) == [200, 200, 302]

    end = f"/pairings/{pairing_id}/end"
    assert client.post(end, data=_home_form(client, end)).status_code == 302
    assert _reads(client, admin_h, video_id) == [404, 404, 404]

    rows = audit_rows(app, subject_id=teacher.id)
    assert [(r["action"], r["actor"]["name"]) for r in rows] == [
        ("admin.pairing.requested", "Alex Admin"),
        ("pairing.accepted", "Tia Teacher"),
        ("pairing.ended", "Tia Teacher"),
    ]
    history = client.get("/").get_data(as_text=True)
    for line in ("Alex Admin asked to be your coach",
                 "You accepted Alex Admin as your coach",
                 "You ended the coaching pairing with Alex Admin"):  # fmt: skip
        assert line in history


def test_a_declined_request_grants_nothing_and_may_be_asked_again(
    client, make_user, make_ready_video
):
    coach, teacher = make_user("coach"), make_user("teacher")
    video_id = make_ready_video(teacher)
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    asked = client.post("/api/v1/pairings", json={"teacher_id": teacher.id}, headers=coach_h)
    assert asked.status_code == 201
    pairing_id = asked.get_json()["id"]
    again = client.post("/api/v1/pairings", json={"teacher_id": teacher.id}, headers=coach_h)
    assert again.status_code == 409
    declined = client.post(f"/api/v1/pairings/{pairing_id}/decline", headers=teacher_h)
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    assert _reads(client, coach_h, video_id) == [404, 404, 404]
    late = client.post(f"/api/v1/pairings/{pairing_id}/accept", headers=teacher_h)
    assert late.status_code == 409  # a declined request cannot be revived
    assert (
        client.post(
            "/api/v1/pairings", json={"teacher_id": teacher.id}, headers=coach_h
        ).status_code
        == 201
    )


def test_only_the_teacher_can_accept(client, make_user):
    admin, coach = make_user("admin"), make_user("coach")
    teacher, other = make_user("teacher"), make_user("teacher")
    pairing_id = client.post(
        "/api/v1/pairings",
        json={"coach_id": coach.id, "teacher_id": teacher.id},
        headers=bearer(client, admin.email),
    ).get_json()["id"]
    url = f"/api/v1/pairings/{pairing_id}/accept"
    assert client.post(url, headers=bearer(client, coach.email)).status_code == 403
    assert client.post(url, headers=bearer(client, admin.email)).status_code == 403
    assert client.post(url, headers=bearer(client, other.email)).status_code == 404
    listed = client.get("/api/v1/pairings", headers=bearer(client, teacher.email)).get_json()
    assert [p["status"] for p in listed["pairings"]] == ["pending"]
    assert client.get("/api/v1/pairings", headers=bearer(client, other.email)).get_json() == {
        "pairings": []
    }


def test_a_coach_asks_only_teachers_of_their_school(client, auth, make_user):
    coach = make_user("coach", school="North School")
    near = make_user("teacher", name="Nora Near", school="North School")
    far = make_user("teacher", name="Fay Far", school="South School")
    headers = bearer(client, coach.email)
    answers = [
        client.post("/api/v1/pairings", json={"teacher_id": teacher_id}, headers=headers)
        for teacher_id in (far.id, 999_999)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].get_json() == answers[1].get_json()  # no way to tell who exists
    auth.login(coach.email)
    page = client.get("/").get_data(as_text=True)
    assert "Nora Near" in page and "Fay Far" not in page
    form = {"csrf_token": csrf_token(client, "/"), "teacher_id": str(near.id)}
    assert client.post("/pairings", data=form).status_code == 302
    assert "waiting for them to accept" in client.get("/").get_data(as_text=True)


def test_the_coach_withdraws_and_ends_from_their_home_page(app, client, auth, make_user):
    coach, teacher = make_user("coach"), make_user("teacher", name="Toby Teacher")
    auth.login(coach.email)
    client.post("/pairings", data={"csrf_token": csrf_token(client, "/"), "teacher_id": teacher.id})
    page = client.get("/").get_data(as_text=True)
    pairing_id = re.search(r'action="/pairings/(\d+)/end"', page).group(1)
    client.post(f"/pairings/{pairing_id}/end", data={"csrf_token": csrf_token(client, "/")})
    assert [r["action"] for r in audit_rows(app, subject_id=teacher.id)] == [
        "pairing.requested",
        "pairing.withdrawn",
    ]
    assert "Toby Teacher" in client.get("/").get_data(as_text=True)  # may be asked again


def test_upgrade_makes_open_admin_pairings_wait_for_the_teacher(tmp_path):
    """Migration 0007: pairings an admin gave themselves before it become requests."""
    import sqlalchemy as sa
    from alembic import command

    from webapp import db

    url = f"sqlite:///{tmp_path / 'upgrade.sqlite3'}"
    config = db.alembic_config(url)
    command.upgrade(config, "0006")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO schools (id, name, created_at) VALUES (1, 'S', '2026-01-01')")
        )
        for user_id, role in ((1, "admin"), (2, "coach"), (3, "teacher")):
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, school_id, email, name, role, password_hash, active,"
                    " auth_epoch, created_at) VALUES (:id, 1, :email, :name, :role, 'x', 1, 0,"
                    " '2026-01-01')"
                ),
                {"id": user_id, "email": f"{role}@example.org", "name": role, "role": role},
            )
        for coach_id, ended in ((1, None), (2, None), (2, "2026-02-01")):
            conn.execute(
                sa.text(
                    "INSERT INTO pairings (coach_id, teacher_id, started_at, ended_at)"
                    " VALUES (:coach, 3, '2026-01-01', :ended)"
                ),
                {"coach": coach_id, "ended": ended},
            )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT coach_id, status FROM pairings ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [(1, "pending"), (2, "active"), (2, "ended")]


def test_answers_that_cross_cannot_both_win(app, make_user):
    """The teacher accepts a request the coach has just withdrawn: the request stays withdrawn."""
    import pytest
    import sqlalchemy as sa

    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import pairings
    from webapp.coaching.models import Pairing
    from webapp.errors import Conflict

    coach, teacher = make_user("coach"), make_user("teacher")
    with app.app_context():
        pairing_id = pairings.pair(
            db.session().get(User, coach.id), db.session().get(User, teacher.id)
        ).id
        db.session().commit()
    with app.app_context():  # the teacher's request has the pending pairing in hand...
        seen = db.session().get(Pairing, pairing_id)
        assert seen.pending
        with app.app_context():  # ...when the coach's withdrawal commits
            pairings.end_pairing(
                db.session().get(Pairing, pairing_id), db.session().get(User, coach.id)
            )
            db.session().commit()
        with pytest.raises(Conflict, match="already ended"):
            pairings.respond(seen, db.session().get(User, teacher.id), accept=True)
        db.session().rollback()
    with app.app_context():
        row = db.session().get(Pairing, pairing_id)
        assert (row.status, row.ended_at is not None) == ("ended", True)
        with pytest.raises(sa.exc.IntegrityError):  # the schema itself refuses the mix
            db.session().execute(sa.update(Pairing).values(status="active"))
        db.session().rollback()
