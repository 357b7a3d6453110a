"""Opening and changing cycles and goals through the API: who may, and what is refused."""

from tests.conftest import bearer


def test_teacher_opens_a_cycle_with_one_of_their_coaches(client, make_user, pair_users):
    teacher, coach, stranger = make_user("teacher"), make_user("coach"), make_user("coach")
    pair_users(coach, teacher)
    headers = bearer(client, teacher.email)
    body = {"coach_id": coach.id, "title": "Exit tickets", "goals": ["Every lesson ends with one"]}
    reply = client.post("/api/v1/cycles", json=body, headers=headers)
    assert reply.status_code == 201, reply.get_json()
    cycle = reply.get_json()
    assert cycle["teacher"]["id"] == teacher.id and cycle["coach"]["id"] == coach.id
    refused = client.post("/api/v1/cycles", json={**body, "coach_id": stranger.id}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "Choose one of your coaches."
    assert stranger.name not in refused.get_data(as_text=True)
    missing = client.post("/api/v1/cycles", json={"title": "X"}, headers=headers)
    assert missing.get_json()["error"]["fields"] == {"coach_id": "Required."}


def test_goals_with_moves_from_another_framework_are_refused(client, make_user, cycle):
    admin_h = bearer(client, make_user("admin").email)
    other = client.post("/api/v1/frameworks", json={"name": "Other"}, headers=admin_h).get_json()
    foreign = client.post(
        f"/api/v1/frameworks/{other['id']}/moves",
        json={"name": "Foreign", "code": "FX", "colour": "#000000"},
        headers=admin_h,
    ).get_json()
    body = {
        "teacher_id": cycle.teacher.id,
        "title": "C",
        "goals": [{"statement": "G", "move_ids": [foreign["id"]]}],
    }
    reply = client.post("/api/v1/cycles", json=body, headers=cycle.coach_h)
    assert reply.status_code == 422
    assert reply.get_json()["error"]["fields"] == {"move_ids": "Not in framework."}
    body["goals"] = [{"statement": "G", "move_ids": [cycle.moves["WT"]]}] * 4
    reply = client.post("/api/v1/cycles", json=body, headers=cycle.coach_h)
    assert reply.status_code == 422
    assert reply.get_json()["error"]["fields"]["goals"] == "At most 3 items."


def test_patch_cycle_moves_status_forward_and_checks_dates(client, cycle):
    url = f"/api/v1/cycles/{cycle.id}"
    reply = client.patch(
        url,
        json={"title": "Talk moves", "starts_on": "2026-11-02", "ends_on": "2026-12-20"},
        headers=cycle.teacher_h,
    )
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["title"] == "Talk moves"
    assert reply.get_json()["ends_on"] == "2026-12-20"
    bad = client.patch(url, json={"ends_on": "2026-11-01"}, headers=cycle.coach_h)
    assert bad.get_json()["error"]["fields"] == {
        "ends_on": "The end date must be on or after the start date."
    }
    assert client.patch(url, json={"ends_on": "soon"}, headers=cycle.coach_h).status_code == 422
    closed = client.patch(url, json={"status": "closed"}, headers=cycle.coach_h)
    assert closed.get_json()["status"] == "closed"
    back = client.patch(url, json={"status": "planned"}, headers=cycle.coach_h)
    assert back.status_code == 422
    assert back.get_json()["error"]["fields"] == {"status": "A closed cycle cannot become planned."}
    assert client.patch(url, json={"status": "done"}, headers=cycle.coach_h).status_code == 422
    reopened = client.patch(url, json={"status": "active"}, headers=cycle.coach_h)
    assert reopened.get_json()["status"] == "active"
    assert client.get(url, headers=cycle.teacher_h).get_json()["title"] == "Talk moves"


def test_only_the_cycle_pair_may_read_or_change_it(client, make_user, cycle):
    url = f"/api/v1/cycles/{cycle.id}"
    for role in ("teacher", "coach", "admin"):
        headers = bearer(client, make_user(role).email)
        assert client.get(url, headers=headers).status_code == 404
        assert client.patch(url, json={"title": "Mine"}, headers=headers).status_code == 404
        goal_url = f"/api/v1/goals/{cycle.goal_ids[0]}"
        assert client.patch(goal_url, json={"statement": "x"}, headers=headers).status_code == 404


def test_patch_goal_rewords_and_relinks_moves(client, cycle):
    url = f"/api/v1/goals/{cycle.goal_ids[1]}"
    reply = client.patch(
        url,
        json={"statement": "Students talk half the lesson", "move_ids": [cycle.moves["TT"]]},
        headers=cycle.teacher_h,
    )
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["move_ids"] == [cycle.moves["TT"]]
    assert client.patch(url, json={"statement": " "}, headers=cycle.coach_h).status_code == 422
    unknown = client.patch(url, json={"move_ids": [999999]}, headers=cycle.coach_h)
    assert unknown.status_code == 422
    assert client.patch("/api/v1/goals/999999", json={}, headers=cycle.coach_h).status_code == 404
    goals = client.get(f"/api/v1/cycles/{cycle.id}", headers=cycle.coach_h).get_json()["goals"]
    assert goals[1]["statement"] == "Students talk half the lesson"
