"""Every annotation rule through the API: who may annotate, reply, edit, resolve; validation."""

import csv
import io

import pytest
import webvtt

from tests.conftest import bearer


def _post(client, s, headers=None, **body):
    body = {"start_ms": 1000, "body": "Nice wait time", **body}
    return client.post(
        f"/api/v1/videos/{s.video_id}/annotations", json=body, headers=headers or s.coach_h
    )


def test_coach_marks_point_and_range_with_move_and_goal(client, setup):
    s = setup
    point = _post(client, s, move_id=s.move_ids[0], goal_id=s.goal_ids[0], kind="strength")
    assert point.status_code == 201, point.get_json()
    body = point.get_json()
    assert (body["start_ms"], body["end_ms"], body["kind"]) == (1000, None, "strength")
    assert body["author"]["id"] == s.coach.id and body["move_id"] == s.move_ids[0]
    ranged = _post(client, s, start_ms=5000, end_ms=9000, body="Turn and talk")
    assert ranged.status_code == 201 and ranged.get_json()["end_ms"] == 9000
    listed = client.get(f"/api/v1/videos/{s.video_id}/annotations", headers=s.teacher_h)
    assert [a["start_ms"] for a in listed.get_json()["annotations"]] == [1000, 5000]


def test_teacher_self_reflection_and_private_notes(client, setup, make_user):
    s = setup
    mine = _post(client, s, s.teacher_h, body="I rushed here", private=True)
    assert mine.status_code == 201
    shared = _post(client, s, s.teacher_h, body="Proud of this bit")
    assert shared.status_code == 201
    coach_view = client.get(f"/api/v1/videos/{s.video_id}/annotations", headers=s.coach_h)
    assert [a["body"] for a in coach_view.get_json()["annotations"]] == ["Proud of this bit"]
    hidden = client.patch(
        f"/api/v1/annotations/{mine.get_json()['id']}", json={"resolved": True}, headers=s.coach_h
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"start_ms": -1}, "start_ms"), ({"start_ms": 60_001}, "start_ms"),
    ({"start_ms": 5000, "end_ms": 5000}, "end_ms"),
    ({"start_ms": 5000, "end_ms": 70_000}, "end_ms"),
    ({"start_ms": "soon"}, "start_ms"), ({"body": "   "}, "body"), ({"kind": "grade"}, "kind"),
    ({"move_id": 999_999}, "move_id"), ({"goal_id": 999_999}, "goal_id"),
])  # fmt: skip
def test_invalid_annotations_get_field_errors(client, setup, body, field):
    reply = _post(client, setup, **body)
    assert reply.status_code == 422
    assert field in reply.get_json()["error"]["fields"]


def test_goal_must_come_from_the_videos_cycle(client, setup, make_user, pair_users):
    s = setup
    other_teacher = make_user("teacher")
    pair_users(s.coach, other_teacher)
    other = client.post(
        "/api/v1/cycles",
        headers=s.coach_h,
        json={"teacher_id": other_teacher.id, "title": "Other", "goals": ["Other goal"]},
    ).get_json()
    reply = _post(client, s, goal_id=other["goals"][0]["id"])
    assert reply.status_code == 422 and "goal_id" in reply.get_json()["error"]["fields"]


def test_archived_move_keeps_its_tag(app, client, setup):
    from webapp import db
    from webapp.coaching import services

    s = setup
    created = _post(client, s, move_id=s.move_ids[1]).get_json()
    with app.app_context():
        services.archive_move(services.get_move(s.move_ids[1]))
        db.session().commit()
    listed = client.get(f"/api/v1/videos/{s.video_id}/annotations", headers=s.coach_h)
    assert listed.get_json()["annotations"][0]["move_id"] == s.move_ids[1] == created["move_id"]


def test_replies_are_one_level_and_follow_their_thread(client, setup):
    s = setup
    thread = _post(client, s, start_ms=3000, end_ms=4000).get_json()
    reply = _post(client, s, s.teacher_h, parent_id=thread["id"], body="Yes, I noticed", start_ms=1)
    assert reply.status_code == 201
    assert (reply.get_json()["start_ms"], reply.get_json()["end_ms"]) == (3000, 4000)
    nested = _post(client, s, parent_id=reply.get_json()["id"], body="Deeper")
    assert nested.status_code == 422 and "parent_id" in nested.get_json()["error"]["fields"]


def test_only_the_author_edits_and_deletes(client, setup):
    s = setup
    note = _post(client, s).get_json()
    url = f"/api/v1/annotations/{note['id']}"
    assert client.patch(url, json={"body": "Changed"}, headers=s.teacher_h).status_code == 403
    assert client.delete(url, headers=s.teacher_h).status_code == 403
    edited = client.patch(url, json={"body": "Better wording", "end_ms": 2000}, headers=s.coach_h)
    assert edited.status_code == 200
    assert edited.get_json()["edited"] is True and edited.get_json()["end_ms"] == 2000
    assert client.delete(url, headers=s.coach_h).status_code == 204
    listed = client.get(f"/api/v1/videos/{s.video_id}/annotations", headers=s.coach_h)
    assert listed.get_json()["annotations"] == []


def test_either_side_resolves_and_reopens(client, setup):
    s = setup
    note = _post(client, s).get_json()
    url = f"/api/v1/annotations/{note['id']}"
    resolved = client.patch(url, json={"resolved": True}, headers=s.teacher_h)
    assert resolved.status_code == 200 and resolved.get_json()["resolved"] is True
    assert resolved.get_json()["edited"] is False
    reopened = client.patch(url, json={"resolved": False}, headers=s.coach_h)
    assert reopened.get_json()["resolved"] is False


def test_outsiders_cannot_read_or_write(client, setup, make_user):
    s = setup
    note = _post(client, s).get_json()
    for outsider in (make_user("coach"), make_user("teacher"), make_user("admin")):
        headers = bearer(client, outsider.email)
        url = f"/api/v1/videos/{s.video_id}/annotations"
        assert client.get(url, headers=headers).status_code == 404
        assert (
            client.post(url, json={"start_ms": 0, "body": "x"}, headers=headers).status_code == 404
        )
        assert (
            client.patch(
                f"/api/v1/annotations/{note['id']}", json={"resolved": True}, headers=headers
            ).status_code
            == 404
        )
        for export in ("annotations.vtt", "annotations.csv"):
            reply = client.get(f"/api/v1/videos/{s.video_id}/{export}", headers=headers)
            assert reply.status_code == 404 and b"Nice wait time" not in reply.data


def test_annotations_need_a_ready_video(client, setup, make_ready_video):
    s = setup
    processing = make_ready_video(s.teacher, status="processing")
    reply = client.post(
        f"/api/v1/videos/{processing}/annotations",
        json={"start_ms": 0, "body": "x"},
        headers=s.coach_h,
    )
    assert reply.status_code == 422


def test_polling_since_returns_changes_including_deletions(client, setup):
    s = setup
    url = f"/api/v1/videos/{s.video_id}/annotations"
    first = client.get(url, headers=s.teacher_h).get_json()
    note = _post(client, s).get_json()
    changes = client.get(url, query_string={"since": first["server_time"]}, headers=s.teacher_h)
    assert [a["id"] for a in changes.get_json()["annotations"]] == [note["id"]]
    later = changes.get_json()["server_time"]
    client.delete(f"/api/v1/annotations/{note['id']}", headers=s.coach_h)
    gone = client.get(url, query_string={"since": later}, headers=s.teacher_h).get_json()
    assert gone["annotations"][0]["deleted"] is True


def test_vtt_export_parses_with_one_cue_per_annotation(client, setup):
    s = setup
    _post(client, s, start_ms=1000, body="Point --> arrow <b>bold</b> & co", move_id=s.move_ids[0])
    thread = _post(client, s, start_ms=5000, end_ms=9000).get_json()
    _post(client, s, s.teacher_h, parent_id=thread["id"], body="Reply")
    reply = client.get(f"/api/v1/videos/{s.video_id}/annotations.vtt", headers=s.teacher_h)
    assert reply.status_code == 200 and reply.mimetype == "text/vtt"
    track = webvtt.from_buffer(io.StringIO(reply.get_data(as_text=True)))
    assert len(track.captions) == 3
    import json

    payload = json.loads(track.captions[0].text)
    assert payload["body"] == "Point --> arrow <b>bold</b> & co"
    assert payload["move"]["code"]


def test_csv_export_one_row_per_annotation_and_no_formulas(client, setup):
    s = setup
    _post(client, s, body='=HYPERLINK("http://evil.example","click")')
    _post(client, s, start_ms=2000, body="+cmd|' /C calc'!A0")
    _post(client, s, start_ms=3000, body='Plain, with "quotes"\nand a newline')
    reply = client.get(f"/api/v1/videos/{s.video_id}/annotations.csv", headers=s.coach_h)
    rows = list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))
    assert len(rows) == 3
    assert rows[0]["body"].startswith("'=") and rows[1]["body"].startswith("'+")
    assert rows[2]["body"] == 'Plain, with "quotes"\nand a newline'
    assert rows[0]["start"] == "00:00:01.000"
