"""Pairing rules, frameworks, cycles and goals through the API, with the permission core."""

from tests.conftest import bearer


def test_admin_asks_a_teacher_to_accept_a_coach(client, make_user):
    admin, coach, teacher = make_user("admin"), make_user("coach"), make_user("teacher")
    reply = client.post(
        "/api/v1/pairings",
        json={"coach_id": coach.id, "teacher_id": teacher.id},
        headers=bearer(client, admin.email),
    )
    assert reply.status_code == 201
    body = reply.get_json()
    assert body["coach"]["id"] == coach.id and body["teacher"]["id"] == teacher.id
    assert body["status"] == "pending" and body["active"] is False


def test_pairing_a_teacher_with_a_teacher_is_refused_without_rows(app, client, make_user):
    from sqlalchemy import func, select

    from webapp import db
    from webapp.coaching.models import Pairing

    admin, t1, t2 = make_user("admin"), make_user("teacher"), make_user("teacher")
    reply = client.post(
        "/api/v1/pairings",
        json={"coach_id": t1.id, "teacher_id": t2.id},
        headers=bearer(client, admin.email),
    )
    assert reply.status_code == 422
    assert "only coaches and admins can coach" in reply.get_json()["error"]["message"]
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Pairing)) == 0


def test_duplicate_active_pairing_is_a_conflict(client, make_user, pair_users):
    admin, coach, teacher = make_user("admin"), make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    reply = client.post(
        "/api/v1/pairings",
        json={"coach_id": coach.id, "teacher_id": teacher.id},
        headers=bearer(client, admin.email),
    )
    assert reply.status_code == 409


def test_teachers_cannot_ask_and_coaches_ask_only_for_themselves(client, make_user):
    coach, other_coach, teacher = make_user("coach"), make_user("coach"), make_user("teacher")
    body = {"coach_id": coach.id, "teacher_id": teacher.id}
    as_teacher = client.post("/api/v1/pairings", json=body, headers=bearer(client, teacher.email))
    assert as_teacher.status_code == 403
    for_someone_else = client.post(
        "/api/v1/pairings", json=body, headers=bearer(client, other_coach.email)
    )
    assert for_someone_else.status_code == 403
    mine = client.post("/api/v1/pairings", json=body, headers=bearer(client, coach.email))
    assert mine.status_code == 201 and mine.get_json()["status"] == "pending"


def test_frameworks_ship_the_default_moves(client, make_user):
    teacher = make_user("teacher")
    reply = client.get("/api/v1/frameworks", headers=bearer(client, teacher.email))
    [framework] = reply.get_json()["frameworks"]
    codes = {m["code"] for m in framework["moves"]}
    assert {"WT", "OEQ", "CC", "TT", "SP", "RV", "ET"} <= codes
    assert framework["is_default"] is True


def test_admin_adds_a_move_and_bad_moves_get_field_errors(client, make_user):
    admin = make_user("admin")
    headers = bearer(client, admin.email)
    [framework] = client.get("/api/v1/frameworks", headers=headers).get_json()["frameworks"]
    url = f"/api/v1/frameworks/{framework['id']}/moves"
    good = client.post(
        url, json={"name": "Think-pair-share", "code": "tps", "colour": "#123ABC"}, headers=headers
    )
    assert good.status_code == 201 and good.get_json()["code"] == "TPS"
    bad = client.post(url, json={"name": "", "code": "no spaces", "colour": "red"}, headers=headers)
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"name", "code", "colour"}
    dup = client.post(
        url, json={"name": "Again", "code": "TPS", "colour": "#000000"}, headers=headers
    )
    assert dup.status_code == 409


def test_coach_opens_cycle_with_goals_visible_to_teacher_only(client, make_user, pair_users):
    coach, teacher, other = make_user("coach"), make_user("teacher"), make_user("teacher")
    admin = make_user("admin")
    pair_users(coach, teacher)
    coach_h = bearer(client, coach.email)
    reply = client.post(
        "/api/v1/cycles",
        json={
            "teacher_id": teacher.id,
            "title": "Student talk",
            "status": "active",
            "starts_on": "2026-11-01",
            "ends_on": "2026-12-15",
            "goals": ["Students talk 40% of the lesson", "Wait 3 s after questions"],
        },
        headers=coach_h,
    )
    assert reply.status_code == 201, reply.get_json()
    cycle = reply.get_json()
    assert [g["statement"] for g in cycle["goals"]] == [
        "Students talk 40% of the lesson",
        "Wait 3 s after questions",
    ]
    url = f"/api/v1/cycles/{cycle['id']}/goals"
    assert client.get(url, headers=bearer(client, teacher.email)).status_code == 200
    # Not shared: another teacher and the admin cannot tell it exists.
    assert client.get(url, headers=bearer(client, other.email)).status_code == 404
    assert client.get(url, headers=bearer(client, admin.email)).status_code == 404


def test_cycle_needs_an_active_pairing_and_at_most_three_goals(client, make_user, pair_users):
    coach, teacher = make_user("coach"), make_user("teacher")
    headers = bearer(client, coach.email)
    body = {"teacher_id": teacher.id, "title": "Cycle"}
    unpaired = client.post("/api/v1/cycles", json=body, headers=headers)
    error = unpaired.get_json()["error"]
    assert (
        unpaired.status_code == 422 and error["message"] == "Choose one of the teachers you coach."
    )
    assert teacher.name not in unpaired.get_data(as_text=True)
    pair_users(coach, teacher)
    too_many = client.post(
        "/api/v1/cycles", json={**body, "goals": ["a", "b", "c", "d"]}, headers=headers
    )
    assert too_many.status_code == 422
    bad_dates = client.post(
        "/api/v1/cycles",
        json={**body, "starts_on": "2026-12-01", "ends_on": "2026-11-01"},
        headers=headers,
    )
    assert bad_dates.get_json()["error"]["fields"] == {
        "ends_on": "The end date must be on or after the start date."
    }


def test_ending_pairing_removes_coach_access_to_cycle(app, client, make_user, pair_users):
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import pairings

    coach, teacher = make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    headers = bearer(client, coach.email)
    cycle = client.post(
        "/api/v1/cycles", json={"teacher_id": teacher.id, "title": "C"}, headers=headers
    ).get_json()
    url = f"/api/v1/cycles/{cycle['id']}/goals"
    assert client.get(url, headers=headers).status_code == 200
    with app.app_context():
        by_teacher = db.session().get(User, teacher.id)
        pairings.end_pairing(pairings.active_pairing(coach.id, teacher.id), by_teacher)
        db.session().commit()
    assert client.get(url, headers=headers).status_code == 404


def test_goal_links_moves_and_rejects_unknown_ones(client, make_user, pair_users):
    coach, teacher = make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    headers = bearer(client, coach.email)
    [framework] = client.get("/api/v1/frameworks", headers=headers).get_json()["frameworks"]
    cycle = client.post(
        "/api/v1/cycles", json={"teacher_id": teacher.id, "title": "C"}, headers=headers
    ).get_json()
    move_id = framework["moves"][0]["id"]
    url = f"/api/v1/cycles/{cycle['id']}/goals"
    good = client.post(
        url, json={"statement": "More wait time", "move_ids": [move_id]}, headers=headers
    )
    assert good.status_code == 201 and good.get_json()["move_ids"] == [move_id]
    bad = client.post(url, json={"statement": "X", "move_ids": [999999]}, headers=headers)
    assert bad.status_code == 422
