"""The database writes timeline JSON itself; it must be exactly what the response models say."""

import json
import re
from datetime import timedelta

import jsonschema_rs
from pydantic import TypeAdapter

from webapp import db
from webapp.annotations import services
from webapp.annotations.models import Annotation
from webapp.annotations.schemas import AnnotationTimeline, TimelineItem
from webapp.auth.models import User
from webapp.schemas import TIMESTAMP
from webapp.video.models import Video

ITEMS = TypeAdapter(list[TimelineItem])

AWKWARD = [
    'Quotes " and \\ backslash, </script> & <b>tags</b>',
    "Línea con acentos, 中文, emoji 🎉, and a\nnew line\tand a tab",
    "Control \x01 character and \u2028 line separator",
    "=SUM(A1:A2)",
]


def both_ways(app, video_id: int, user_id: int, since=None) -> tuple[list, list]:
    """The timeline as the database writes it, and as the response models write the same rows."""
    with app.app_context():
        video, user = db.session().get(Video, video_id), db.session().get(User, user_id)
        from_sql = json.loads(services.timeline(video, user, since))
        rows = services.visible_annotations(video, user, since)
        return from_sql, ITEMS.dump_python(ITEMS.validate_python(rows), mode="json")


def test_the_database_writes_every_note_as_the_models_do(app, client, setup, make_user):
    coach, teacher = setup.coach, setup.teacher
    with app.app_context():  # an author whose name needs escaping
        db.session().get(User, coach.id).name = 'Zoë "Coach" O\'Neil'
        db.session().commit()
    base = f"/api/v1/videos/{setup.video_id}/annotations"
    ids = []
    for i, body in enumerate(AWKWARD):
        note = {"start_ms": 1000 * i, "body": body, "kind": "question"}
        if i % 2:
            note |= {"end_ms": 1000 * i + 2500, "move_id": setup.move_ids[i],
                     "goal_id": setup.goal_ids[0]}  # fmt: skip
        reply = client.post(base, headers=setup.coach_h, json=note)
        assert reply.status_code == 201, reply.get_json()
        ids.append(reply.get_json()["id"])
    reply = client.post(base, headers=setup.teacher_h,
                        json={"parent_id": ids[0], "body": "Ja, genau — «so»"})  # fmt: skip
    assert reply.status_code == 201
    private = client.post(base, headers=setup.coach_h,
                          json={"start_ms": 500, "body": "prep", "private": True})  # fmt: skip
    assert private.status_code == 201
    patch = {"body": "edited", "resolved": True}
    assert client.patch(f"/api/v1/annotations/{ids[1]}", headers=setup.coach_h,
                        json=patch).status_code == 200  # fmt: skip
    assert client.delete(f"/api/v1/annotations/{ids[2]}", headers=setup.coach_h).status_code == 204
    with app.app_context():  # a whole second must not lose its microseconds
        note = db.session().get(Annotation, ids[3])
        note.created_at = note.created_at.replace(microsecond=0)
        db.session().commit()

    for user in (coach, teacher):
        from_sql, from_models = both_ways(app, setup.video_id, user.id)
        assert from_sql == from_models
    assert len(from_sql) == 4  # the teacher: no private note, no deleted one
    assert from_sql[2].items() >= {"resolved": True, "edited": True}.items()
    assert from_sql[3]["created_at"].endswith(".000000Z")

    from_sql, from_models = both_ways(app, setup.video_id, coach.id, since=_long_ago())
    assert from_sql == from_models
    assert [n["deleted"] for n in from_sql].count(True) == 1
    assert any(n.get("private") for n in from_sql)
    assert {"id", "deleted", "updated_at"} in [set(n) for n in from_sql]  # tombstone only


def test_an_empty_timeline_is_an_empty_array(app, setup):
    from_sql, from_models = both_ways(app, setup.video_id, setup.teacher.id)
    assert from_sql == from_models == []


def _long_ago():
    return db.utcnow() - timedelta(days=1)


# ---- the timeline answer against its response model ----

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def _conversation(client, s) -> dict:
    """A range note, a resolved one, a reply, an edited one, a private one and a deleted one."""
    base = f"/api/v1/videos/{s.video_id}/annotations"

    def add(headers, **note):
        reply = client.post(base, headers=headers, json=note)
        assert reply.status_code == 201, reply.get_json()
        return reply.get_json()["id"]

    ids = {
        "range": add(s.coach_h, start_ms=1000, end_ms=4000, body="Turn and talk", kind="strength",
                     move_id=s.move_ids[0], goal_id=s.goal_ids[0]),
        "resolved": add(s.coach_h, start_ms=2000, body="Try cold call", kind="next_step"),
        "private": add(s.coach_h, start_ms=2500, body="Coach prep", private=True),
        "deleted": add(s.coach_h, start_ms=3000, body="Wrong moment"),
        "edited": add(s.teacher_h, start_ms=5000, body="I rushed", kind="question"),
    }  # fmt: skip
    ids["reply"] = add(s.teacher_h, parent_id=ids["range"], body="Yes — «so»")
    for note, change, headers in (("resolved", {"resolved": True}, s.teacher_h),
                                  ("edited", {"body": "I rushed here"}, s.teacher_h)):  # fmt: skip
        reply = client.patch(f"/api/v1/annotations/{ids[note]}", headers=headers, json=change)
        assert reply.status_code == 200, reply.get_json()
    deleted = client.delete(f"/api/v1/annotations/{ids['deleted']}", headers=s.coach_h)
    assert deleted.status_code == 204
    return ids


def _holds_to_the_model(reply) -> dict:
    """The answer is exactly an AnnotationTimeline, read strictly and written back unchanged,
    and it matches the JSON Schema the API document gives for it."""
    assert reply.status_code == 200 and reply.mimetype == "application/json"
    raw = reply.get_data()
    timeline = AnnotationTimeline.model_validate_json(raw, strict=True)
    answer = json.loads(raw)
    assert timeline.model_dump(mode="json") == answer  # no key, value or format differs
    schema = AnnotationTimeline.model_json_schema()
    jsonschema_rs.Draft202012Validator(schema, validate_formats=True).validate(answer)
    assert STAMP.fullmatch(answer["server_time"])
    return answer


def test_the_database_written_timeline_is_exactly_the_response_model(app, client, setup):
    s = setup
    ids = _conversation(client, s)
    url = f"/api/v1/videos/{s.video_id}/annotations"
    since = (db.utcnow() - timedelta(days=1)).isoformat() + "Z"

    whole = _holds_to_the_model(client.get(url, headers=s.coach_h))
    from_sql, from_models = both_ways(app, s.video_id, s.coach.id)
    assert whole["annotations"] == from_sql == from_models
    by_id = {n["id"]: n for n in whole["annotations"]}
    assert by_id.keys() == set(ids.values()) - {ids["deleted"]}
    assert by_id[ids["range"]]["end_ms"] == 4000
    assert by_id[ids["reply"]]["parent_id"] == ids["range"]
    assert by_id[ids["resolved"]]["resolved"] and by_id[ids["edited"]]["edited"]
    assert by_id[ids["private"]]["private"] is True

    polled = _holds_to_the_model(client.get(url, query_string={"since": since}, headers=s.coach_h))
    from_sql, from_models = both_ways(app, s.video_id, s.coach.id, db.utcnow() - timedelta(days=1))
    assert polled["annotations"] == from_sql == from_models
    tombstone = {n["id"]: n for n in polled["annotations"]}[ids["deleted"]]
    assert set(tombstone) == {"id", "deleted", "updated_at"} and tombstone["deleted"] is True

    pages, query = [], {"since": since, "limit": 2}
    while True:
        page = _holds_to_the_model(client.get(url, query_string=query, headers=s.coach_h))
        pages.append(page)
        if page["next_cursor"] is None:
            break
        query["cursor"] = page["next_cursor"]
    assert len(pages) == 3 and [n for p in pages for n in p["annotations"]] == from_models

    teacher = _holds_to_the_model(client.get(url, headers=s.teacher_h))  # no private note
    assert teacher["annotations"] == both_ways(app, s.video_id, s.teacher.id)[1]
    assert ids["private"] not in {n["id"] for n in teacher["annotations"]}


def test_server_time_is_written_as_every_api_time_is(client, setup, monkeypatch):
    """A whole second keeps its microseconds (isoformat() would drop them)."""
    from datetime import datetime

    from webapp.annotations import api

    monkeypatch.setattr(api, "utcnow", lambda: datetime(2026, 9, 1, 15, 0, 0))
    url = f"/api/v1/videos/{setup.video_id}/annotations"
    for query in ({}, {"since": "2026-08-01T00:00:00Z"}, {"limit": 1}):
        answer = client.get(url, query_string=query, headers=setup.coach_h).get_json()
        assert answer["server_time"] == "2026-09-01T15:00:00.000000Z"
        assert datetime.strptime(answer["server_time"], TIMESTAMP) == datetime(2026, 9, 1, 15)
