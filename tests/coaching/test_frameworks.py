"""The default framework, quick keys, and admins editing and archiving moves (API and pages)."""

import re

from tests.conftest import bearer, csrf_token


def _framework(client, headers) -> dict:
    [framework] = client.get("/api/v1/frameworks", headers=headers).get_json()["frameworks"]
    return framework


def test_default_framework_has_groups_moves_and_quick_keys(client, make_user):
    framework = _framework(client, bearer(client, make_user("teacher").email))
    moves = framework["moves"]
    assert {m["group"] for m in moves} >= {
        "Questioning",
        "Student discourse",
        "Checks for understanding",
        "Feedback",
        "Classroom culture",
    }
    by_code = {m["code"]: m for m in moves}
    assert {"WT", "OEQ", "CC", "TT", "SP", "RV", "ET"} <= set(by_code)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", m["colour"]) and m["description"] for m in moves)
    assert [m.get("quick_key") for m in moves] == [1, 2, 3, 4, 5, 6, 7, 8, 9, None, None, None]
    # The moves a new coach reaches for first are all on number keys.
    assert all("quick_key" in by_code[c] for c in ("WT", "OEQ", "CC", "TT", "SP", "RV", "ET"))


def test_admin_edits_reorders_and_archives_a_move(client, make_user):
    headers = bearer(client, make_user("admin").email)
    moves = _framework(client, headers)["moves"]
    first, last = moves[0], moves[-1]
    reply = client.patch(
        f"/api/v1/moves/{last['id']}",
        json={
            "name": "Narrate the positive",
            "colour": "#ABCDEF",
            "position": 0,
            "group": "Culture",
        },
        headers=headers,
    )
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json() | {} == {
        **last,
        "name": "Narrate the positive",
        "colour": "#abcdef",
        "group": "Culture",
        "position": 0,
        "quick_key": 1,
    }
    moves = _framework(client, headers)["moves"]
    assert [m["id"] for m in moves[:2]] == [last["id"], first["id"]]
    assert [m["position"] for m in moves] == list(range(len(moves)))

    archived = client.patch(
        f"/api/v1/moves/{last['id']}", json={"archived": True}, headers=headers
    ).get_json()
    assert archived["archived"] is True and "quick_key" not in archived
    moves = _framework(client, headers)["moves"]
    assert len(moves) == 12  # archived, never deleted
    assert moves[1]["quick_key"] == 1
    restored = client.patch(
        f"/api/v1/moves/{last['id']}", json={"archived": False}, headers=headers
    )
    assert restored.get_json()["archived"] is False


def test_move_edits_are_checked_and_admin_only(client, make_user):
    admin_h = bearer(client, make_user("admin").email)
    moves = _framework(client, admin_h)["moves"]
    url = f"/api/v1/moves/{moves[0]['id']}"
    taken = client.patch(url, json={"code": moves[1]["code"]}, headers=admin_h)
    assert taken.status_code == 409 and taken.get_json()["error"]["fields"] == {
        "code": "Code taken."
    }
    bad = client.patch(url, json={"colour": "blue", "name": ""}, headers=admin_h)
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"colour", "name"}
    assert client.patch(url, json={"archived": "yes"}, headers=admin_h).status_code == 422
    assert client.patch(url, json={"position": -1}, headers=admin_h).status_code == 422
    coach_h = bearer(client, make_user("coach").email)
    assert client.patch(url, json={"name": "Mine"}, headers=coach_h).status_code == 403
    assert client.patch("/api/v1/moves/999999", json={}, headers=admin_h).status_code == 404
    assert _framework(client, admin_h)["moves"][0] == moves[0]


def test_annotation_keeps_its_move_after_archiving(
    client, make_user, cycle, make_ready_video, note
):
    video = make_ready_video(cycle.teacher, cycle.id)
    wait_time = cycle.moves["WT"]
    note(video, cycle.coach, move_id=wait_time)
    admin_h = bearer(client, make_user("admin").email)
    client.patch(f"/api/v1/moves/{wait_time}", json={"archived": True}, headers=admin_h)
    [kept] = client.get(f"/api/v1/videos/{video}/annotations", headers=cycle.coach_h).get_json()[
        "annotations"
    ]
    assert kept["move_id"] == wait_time
    move = next(m for m in _framework(client, cycle.coach_h)["moves"] if m["id"] == wait_time)
    assert move["archived"] is True and move["code"] == "WT"


def test_admin_pages_create_framework_and_edit_move(client, auth, make_user):
    auth.login(make_user("admin").email)
    token = csrf_token(client, "/admin/frameworks")
    reply = client.post(
        "/admin/frameworks",
        data={"name": "Math talk", "description": "For math lessons", "csrf_token": token},
    )
    assert reply.status_code == 302
    page = client.get("/admin/frameworks").get_data(as_text=True)
    assert "Math talk" in page and "Add a move to Math talk" in page
    dup = client.post("/admin/frameworks", data={"name": "Math talk", "csrf_token": token})
    assert "already exists" in client.get(dup.location).get_data(as_text=True)

    move_id = re.search(r'href="/admin/moves/(\d+)"', page).group(1)
    form = client.get(f"/admin/moves/{move_id}").get_data(as_text=True)
    assert 'value="Open-ended question"' in form
    fields = {"name": "Open question", "code": "OQ", "colour": "#112233", "group": "Questioning",
              "description": "Many right answers.", "position": "3",
              "csrf_token": token}  # fmt: skip
    saved = client.post(f"/admin/moves/{move_id}", data=fields)
    assert saved.status_code == 302
    page = client.get("/admin/frameworks").get_data(as_text=True)
    assert "Open question" in page and "Many right answers." in page
    bad = client.post(f"/admin/moves/{move_id}", data={**fields, "code": "W T", "position": "0"})
    assert bad.status_code == 422
    assert "Enter a whole number from 1." in bad.get_data(as_text=True)
    bad = client.post(f"/admin/moves/{move_id}", data={**fields, "code": "W T"})
    assert "Use 1 to 16 letters or digits" in bad.get_data(as_text=True)


def test_admin_archives_and_restores_on_the_page(client, auth, make_user):
    auth.login(make_user("admin").email)
    page = client.get("/admin/frameworks").get_data(as_text=True)
    move_id = re.search(r"/admin/moves/(\d+)/archive", page).group(1)
    token = csrf_token(client, "/admin/frameworks")
    url = f"/admin/moves/{move_id}/archive"
    client.post(url, data={"archived": "1", "csrf_token": token})
    assert "Archived · restore" in client.get("/admin/frameworks").get_data(as_text=True)
    client.post(url, data={"archived": "0", "csrf_token": token})
    assert "Archived · restore" not in client.get("/admin/frameworks").get_data(as_text=True)
