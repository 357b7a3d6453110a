"""The coaching API checks its bodies strictly and answers in the documented shapes."""

import re

import pytest

from tests.conftest import bearer

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")
PAIRING_KEYS = {"id", "coach", "teacher", "status", "active", "started_at", "accepted_at",
                "ended_at"}  # fmt: skip
CYCLE_KEYS = {"id", "title", "status", "starts_on", "ends_on", "teacher", "coach",
              "framework_id", "goals"}  # fmt: skip
MOVE_KEYS = {"id", "framework_id", "name", "code", "colour", "description", "group", "position",
             "archived"}  # fmt: skip


def _sender(client, method: str, url: str, headers: dict):
    """Send JSON bodies to one URL as one person."""

    def send(body):
        return client.open(url, method=method, json=body, headers=headers)

    return send


def _fields(reply) -> dict:
    assert reply.status_code == 422, reply.get_json()
    return reply.get_json()["error"]["fields"]


# ---- pairings ----


def test_pairing_bodies_are_strict(client, make_user):
    admin_h = bearer(client, make_user("admin").email)
    coach, teacher = make_user("coach"), make_user("teacher")
    post = _sender(client, "POST", "/api/v1/pairings", admin_h)
    assert _fields(post({"teacher_id": str(teacher.id)})) == {
        "teacher_id": "Must be a whole number."
    }
    assert set(_fields(post({"teacher_id": True}))) == {"teacher_id"}
    assert _fields(post({"coach_id": coach.id})) == {"teacher_id": "This field is required."}
    assert _fields(post({"teacher_id": teacher.id, "role": "coach"})) == {"role": "Unknown field."}
    assert set(_fields(post({"teacher_id": 0}))) == {"teacher_id"}
    assert post({"coach_id": coach.id, "teacher_id": teacher.id}).status_code == 201


def test_pairing_answers_have_every_key_and_rfc3339_times(client, make_user):
    coach, teacher = make_user("coach"), make_user("teacher")
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    asked = client.post("/api/v1/pairings", json={"teacher_id": teacher.id}, headers=coach_h)
    pairing = asked.get_json()
    assert asked.status_code == 201 and set(pairing) == PAIRING_KEYS
    assert RFC3339.fullmatch(pairing["started_at"])
    assert pairing["accepted_at"] is None and pairing["ended_at"] is None
    assert pairing["coach"] == {"id": coach.id, "name": coach.name, "role": "coach"}
    accepted = client.post(f"/api/v1/pairings/{pairing['id']}/accept", headers=teacher_h)
    assert accepted.get_json()["status"] == "active" and accepted.get_json()["active"] is True
    assert RFC3339.fullmatch(accepted.get_json()["accepted_at"])
    again = client.post(f"/api/v1/pairings/{pairing['id']}/decline", headers=teacher_h)
    assert again.status_code == 409
    ended = client.post(f"/api/v1/pairings/{pairing['id']}/end", headers=coach_h).get_json()
    assert ended["status"] == "ended" and RFC3339.fullmatch(ended["ended_at"])


def test_pairing_list_shows_closed_ones_on_request(client, make_user):
    coach, teacher = make_user("coach"), make_user("teacher")
    coach_h = bearer(client, coach.email)
    pairing = client.post(
        "/api/v1/pairings", json={"teacher_id": teacher.id}, headers=coach_h
    ).get_json()
    client.post(f"/api/v1/pairings/{pairing['id']}/end", headers=coach_h)

    def listed(query: str):
        return client.get(f"/api/v1/pairings{query}", headers=coach_h)

    assert listed("").get_json() == {"pairings": []}
    assert [p["id"] for p in listed("?all=1").get_json()["pairings"]] == [pairing["id"]]
    assert listed("?all=0").get_json() == {"pairings": []}
    assert set(_fields(listed("?all=maybe"))) == {"all"}


def test_a_stranger_with_a_bad_body_is_told_to_sign_in_first(client):
    reply = client.post("/api/v1/pairings", json={"teacher_id": "x"})
    assert reply.status_code == 401


# ---- frameworks and moves ----


@pytest.fixture
def admin_h(client, make_user):
    return bearer(client, make_user("admin").email)


def _moves(client, headers) -> list[dict]:
    [framework] = client.get("/api/v1/frameworks", headers=headers).get_json()["frameworks"]
    return framework["moves"]


def test_framework_and_move_bodies_are_strict(client, admin_h):
    create = _sender(client, "POST", "/api/v1/frameworks", admin_h)
    assert set(_fields(create({"name": ["Talk"]}))) == {"name"}
    assert _fields(create({"name": "T", "is_default": True})) == {"is_default": "Unknown field."}
    framework = create({"name": "Talk"}).get_json()
    assert set(framework) == {"id", "name", "description", "is_default", "moves"}
    assert framework["moves"] == [] and framework["is_default"] is False
    url = f"/api/v1/frameworks/{framework['id']}/moves"
    post = _sender(client, "POST", url, admin_h)
    assert set(_fields(post({"name": "Pause", "code": "PZ", "colour": 0x123456}))) == {"colour"}
    assert set(_fields(post({"name": "Pause", "code": "PZ"}))) == {"colour"}
    too_long = {"name": "Pause", "code": "PZ", "colour": "#123456", "group": "g" * 121}
    assert set(_fields(post(too_long))) == {"group"}
    move = post({"name": "Pause", "code": "pz", "colour": "#ABCDEF"})
    assert move.status_code == 201
    assert move.get_json() == {
        "id": move.get_json()["id"],
        "framework_id": framework["id"],
        "name": "Pause",
        "code": "PZ",
        "colour": "#abcdef",
        "description": "",
        "group": "",
        "position": 0,
        "archived": False,
        "quick_key": 1,
    }
    listed = client.get(url, headers=admin_h).get_json()
    assert listed == {"moves": [move.get_json()]}
    assert client.get("/api/v1/frameworks/999999/moves", headers=admin_h).status_code == 404


def test_move_patch_is_strict_and_changes_only_what_is_sent(client, admin_h):
    moves = _moves(client, admin_h)
    move = moves[3]
    url = f"/api/v1/moves/{move['id']}"
    patch = _sender(client, "PATCH", url, admin_h)
    assert set(_fields(patch({"archived": "false"}))) == {"archived"}
    assert set(_fields(patch({"archived": 0}))) == {"archived"}
    assert set(_fields(patch({"position": "2"}))) == {"position"}
    assert set(_fields(patch({"position": True}))) == {"position"}
    assert set(_fields(patch({"name": None}))) == {"name"}
    assert set(_fields(patch({"description": 5}))) == {"description"}
    assert _fields(patch({"framework_id": 2})) == {"framework_id": "Unknown field."}
    reply = patch({"description": "Count to five, silently."})
    assert reply.status_code == 200
    assert reply.get_json() == {**move, "description": "Count to five, silently."}
    assert _moves(client, admin_h) == [
        {**m, "description": "Count to five, silently."} if m["id"] == move["id"] else m
        for m in moves
    ]


def test_moves_without_a_number_key_have_no_quick_key(client, admin_h):
    moves = _moves(client, admin_h)
    assert all(set(m) == MOVE_KEYS | {"quick_key"} for m in moves[:9])
    assert all(set(m) == MOVE_KEYS for m in moves[9:])


# ---- cycles and goals ----


def _body(cycle, **fields) -> dict:
    return {"teacher_id": cycle.teacher.id, "title": "Questions", **fields}


def test_cycle_bodies_are_strict(client, cycle):
    post = _sender(client, "POST", "/api/v1/cycles", cycle.coach_h)
    assert set(_fields(post(_body(cycle, title=["Questions"])))) == {"title"}
    assert set(_fields(post(_body(cycle, title="")))) == {"title"}
    assert set(_fields(post(_body(cycle, teacher_id=str(cycle.teacher.id))))) == {"teacher_id"}
    assert set(_fields(post(_body(cycle, status="done")))) == {"status"}
    assert set(_fields(post(_body(cycle, status="ACTIVE")))) == {"status"}
    assert _fields(post(_body(cycle, starts_on="2026-13-01"))) == {
        "starts_on": "Use a date like 2026-09-01."
    }
    assert set(_fields(post(_body(cycle, ends_on=20261201)))) == {"ends_on"}
    assert set(_fields(post(_body(cycle, framework_id="1")))) == {"framework_id"}
    assert _fields(post(_body(cycle, colour="red"))) == {"colour": "Unknown field."}
    assert set(_fields(post(_body(cycle, goals="Talk more")))) == {"goals"}
    assert set(_fields(post(_body(cycle, goals=[5])))) == {"goals.0"}
    assert set(_fields(post(_body(cycle, goals=["Fine", ""])))) == {"goals.1.statement"}
    bad_ids = [{"statement": "Wait", "move_ids": [str(cycle.moves["WT"])]}]
    assert set(_fields(post(_body(cycle, goals=bad_ids)))) == {"goals.0.move_ids.0"}
    extra = [{"statement": "Wait", "moves": [cycle.moves["WT"]]}]
    assert _fields(post(_body(cycle, goals=extra))) == {"goals.0.moves": "Unknown field."}
    unknown_framework = post(_body(cycle, framework_id=999999))
    assert unknown_framework.status_code == 404


def test_cycle_answer_keeps_every_key(client, cycle):
    body = _body(cycle, starts_on="2026-11-02", goals=[{"statement": "Wait", "move_ids": []}])
    reply = client.post("/api/v1/cycles", json=body, headers=cycle.coach_h)
    assert reply.status_code == 201, reply.get_json()
    created = reply.get_json()
    assert set(created) == CYCLE_KEYS
    assert created["starts_on"] == "2026-11-02" and created["ends_on"] is None
    assert created["status"] == "planned"
    assert created["coach"] == {"id": cycle.coach.id, "name": cycle.coach.name, "role": "coach"}
    [goal] = created["goals"]
    assert goal == {"id": goal["id"], "cycle_id": created["id"], "statement": "Wait",
                    "move_ids": [], "metric": None, "target": None, "direction": None,
                    "threshold_s": None, "baseline": None}  # fmt: skip
    listed = client.get("/api/v1/cycles", headers=cycle.teacher_h).get_json()["cycles"]
    assert created in listed
    goals = client.get(f"/api/v1/cycles/{created['id']}/goals", headers=cycle.teacher_h)
    assert goals.get_json() == {"goals": [goal]}


def test_cycle_patch_is_strict_and_changes_only_what_is_sent(client, cycle):
    url = f"/api/v1/cycles/{cycle.id}"
    patch = _sender(client, "PATCH", url, cycle.coach_h)
    dated = patch({"starts_on": "2026-11-02", "ends_on": "2026-12-20"}).get_json()
    assert set(_fields(patch({"title": 7}))) == {"title"}
    assert set(_fields(patch({"status": "done"}))) == {"status"}
    assert set(_fields(patch({"ends_on": ""}))) == {"ends_on"}
    assert _fields(patch({"framework_id": 1})) == {"framework_id": "Unknown field."}
    retitled = patch({"title": "Talk moves"})
    assert retitled.status_code == 200
    assert retitled.get_json() == {**dated, "title": "Talk moves"}
    cleared = patch({"ends_on": None}).get_json()
    assert cleared == {**dated, "title": "Talk moves", "ends_on": None}


def test_goal_bodies_are_strict_and_patch_changes_only_what_is_sent(client, cycle):
    url = f"/api/v1/cycles/{cycle.id}/goals"
    post = _sender(client, "POST", url, cycle.coach_h)
    assert set(_fields(post({"statement": 5}))) == {"statement"}
    assert set(_fields(post({"statement": "Wait", "move_ids": "1,2"}))) == {"move_ids"}
    assert _fields(post({"statement": "Wait", "cycle_id": 1})) == {"cycle_id": "Unknown field."}
    goal_url = f"/api/v1/goals/{cycle.goal_ids[0]}"
    patch = _sender(client, "PATCH", goal_url, cycle.coach_h)
    before = client.get(url, headers=cycle.coach_h).get_json()["goals"][0]
    assert before["id"] == cycle.goal_ids[0]
    assert set(_fields(patch({"move_ids": None}))) == {"move_ids"}
    assert set(_fields(patch({"statement": None}))) == {"statement"}
    reworded = patch({"statement": "Wait five seconds"}).get_json()
    assert reworded == {**before, "statement": "Wait five seconds"}
    relinked = patch({"move_ids": [cycle.moves["TT"]]}).get_json()
    assert relinked == {**reworded, "move_ids": [cycle.moves["TT"]]}
    assert patch({"move_ids": []}).get_json()["move_ids"] == []
