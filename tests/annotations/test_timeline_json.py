"""The database writes timeline JSON itself; it must match Annotation.to_json() exactly."""

import json
from datetime import timedelta

from webapp import db
from webapp.annotations import services
from webapp.annotations.models import Annotation
from webapp.auth.models import User
from webapp.video.models import Video

AWKWARD = [
    'Quotes " and \\ backslash, </script> & <b>tags</b>',
    "Línea con acentos, 中文, emoji 🎉, and a\nnew line\tand a tab",
    "Control \x01 character and \u2028 line separator",
    "=SUM(A1:A2)",
]


def both_ways(app, video_id: int, user_id: int, since=None) -> tuple[list, list]:
    """The timeline as the database writes it, and as the models write it."""
    with app.app_context():
        video, user = db.session().get(Video, video_id), db.session().get(User, user_id)
        from_sql = json.loads(services.timeline(video, user, since))
        from_models = [a.to_json() for a in services.visible_annotations(video, user, since)]
        return from_sql, from_models


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
