"""Suggested moments on a real database: made from a stored analysis and the cycle's goals,
kept across regeneration once decided, accepted as notes, dismissed, and seen exactly by those
who may watch the lesson."""

from tests.conftest import bearer
from tests.suggestions.conftest import (
    LESSON_MS,
    QUESTIONS,
    WAIT_GOAL,
    analysis_columns,
    store_analysis,
)


def _post(client, headers, suggestion_id, action, body=None):
    return client.post(f"/api/v1/suggestions/{suggestion_id}/{action}", headers=headers,
                       json={} if body is None else body)  # fmt: skip


def test_a_lesson_suggests_its_moments_tagged_with_goal_and_move(client, make_lesson):
    lesson = make_lesson()
    wait, talk = lesson.goals["wait"], lesson.goals["talk"]
    wt, tt = lesson.moves["WT"], lesson.moves["TT"]
    found = [{k: s[k] for k in ("kind", "start_ms", "end_ms", "text", "move_id", "goal_id",
                                "state", "annotation_id")}
             for s in lesson.suggestions(client)]  # fmt: skip
    # The closed question answered at once (480 s) suggests nothing.
    assert found == [
        {"kind": "long_wait", "start_ms": 20000, "end_ms": 28200, "move_id": wt, "goal_id": wait,
         "text": "Waited 4.2 s after 'Why do you think one half is bigger…'",
         "state": "open", "annotation_id": None},
        {"kind": "monologue", "start_ms": 45000, "end_ms": 424000, "move_id": tt,
         "goal_id": talk, "text": "Teacher talked 6 min 19 s without a pause", "state": "open",
         "annotation_id": None},
        {"kind": "short_wait", "start_ms": 60000, "end_ms": 64000, "move_id": wt,
         "goal_id": wait, "text": "0.4 s after an open question: 'What do you think happens "
         "next?'", "state": "open", "annotation_id": None},
        {"kind": "student_talk", "start_ms": 430000, "end_ms": 475000, "move_id": tt,
         "goal_id": talk, "text": "Students talked for 45 s", "state": "open",
         "annotation_id": None},
        {"kind": "long_wait", "start_ms": 500000, "end_ms": 505500, "move_id": wt,
         "goal_id": wait, "text": "Waited 3.5 s after 'How many pieces?'", "state": "open",
         "annotation_id": None},
    ]  # fmt: skip
    assert lesson.suggestions(client, lesson.teacher_h) == lesson.suggestions(client)


def test_goals_match_by_metric_else_by_their_linked_moves(app, client, make_lesson):
    linked = {"statement": "Give thinking time", "move_codes": ["WT"]}
    lesson = make_lesson([linked, {"statement": "Better questions"}])
    by_kind = {s["kind"]: s for s in lesson.suggestions(client)}
    assert by_kind["long_wait"]["goal_id"] == lesson.goals["Give thinking time"]
    assert by_kind["student_talk"]["goal_id"] is None  # no goal is about talk
    assert by_kind["student_talk"]["move_id"] == lesson.moves["TT"]
    # A goal's own wait threshold decides what counts as a long wait: 4 s leaves one.
    lesson = make_lesson([{**WAIT_GOAL, "threshold_s": 4.0}])
    assert [s["start_ms"] for s in lesson.by_kind(client, "long_wait")] == [20000]


def test_a_video_outside_a_cycle_gets_the_default_frameworks_moves(
    app, client, make_user, make_ready_video
):
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    video_id = make_ready_video(teacher, duration_ms=LESSON_MS)
    store_analysis(app, video_id)
    found = client.get(f"/api/v1/videos/{video_id}/suggestions", headers=headers).get_json()
    codes = {m["id"]: m["code"] for m in _moves(client, headers)}
    assert {(s["kind"], codes[s["move_id"]], s["goal_id"]) for s in found["suggestions"]} == {
        ("long_wait", "WT", None), ("short_wait", "WT", None), ("monologue", "TT", None),
        ("student_talk", "TT", None),
    }  # fmt: skip


def _moves(client, headers):
    return client.get("/api/v1/frameworks", headers=headers).get_json()["frameworks"][0]["moves"]


def test_regenerating_keeps_decisions_and_drops_what_no_longer_applies(app, client, make_lesson):
    lesson = make_lesson()
    first = {s["start_ms"]: s for s in lesson.suggestions(client)}
    assert _post(client, lesson.coach_h, first[20000]["id"], "accept").status_code == 201
    assert _post(client, lesson.coach_h, first[60000]["id"], "dismiss").status_code == 200
    store_analysis(app, lesson.video_id)  # the same figures again: nothing changes
    again = {s["start_ms"]: s for s in lesson.suggestions(client)}
    assert {k: (s["id"], s["state"]) for k, s in again.items()} == {
        k: (s["id"], "accepted" if k == 20000 else "dismissed" if k == 60000 else "open")
        for k, s in first.items()
    }
    # Analysed again without those questions: decided ones stay, the open wait at 500 s goes.
    store_analysis(app, lesson.video_id, **analysis_columns(questions=QUESTIONS[2:3]))
    left = {s["start_ms"]: s["state"] for s in lesson.suggestions(client)}
    assert left == {20000: "accepted", 45000: "open", 60000: "dismissed", 430000: "open"}


def test_accepting_makes_the_note_at_the_moment_with_its_evidence(client, make_lesson):
    lesson = make_lesson()
    [wait, _] = lesson.by_kind(client, "long_wait")
    reply = _post(client, lesson.coach_h, wait["id"], "accept")
    assert reply.status_code == 201, reply.get_json()
    note = reply.get_json()
    assert {k: note[k] for k in ("start_ms", "end_ms", "body", "move_id", "goal_id", "private",
                                 "kind")} == {
        "start_ms": 20000, "end_ms": 28200, "body": wait["text"], "move_id": lesson.moves["WT"],
        "goal_id": lesson.goals["wait"], "private": False, "kind": "comment",
    }  # fmt: skip
    assert note["author"]["id"] == lesson.coach.id
    timeline = client.get(f"/api/v1/videos/{lesson.video_id}/annotations",
                          headers=lesson.teacher_h).get_json()["annotations"]  # fmt: skip
    assert [n["id"] for n in timeline] == [note["id"]]  # the teacher sees it
    [accepted] = [s for s in lesson.suggestions(client) if s["id"] == wait["id"]]
    assert (accepted["state"], accepted["annotation_id"]) == ("accepted", note["id"])
    for action in ("accept", "dismiss"):
        refused = _post(client, lesson.teacher_h, wait["id"], action)
        assert refused.status_code == 409 and "already accepted" in refused.get_json()["error"][
            "message"]  # fmt: skip


def test_accepting_with_changes_and_refused_changes(client, make_lesson):
    lesson = make_lesson()
    [monologue] = lesson.by_kind(client, "monologue")
    wrong = _post(client, lesson.teacher_h, monologue["id"], "accept", {"move_id": 999_999})
    assert wrong.status_code == 422 and "move_id" in wrong.get_json()["error"]["fields"]
    blank = _post(client, lesson.teacher_h, monologue["id"], "accept", {"body": "  "})
    assert blank.status_code == 422
    assert lesson.by_kind(client, "monologue")[0]["state"] == "open"  # refused: still open
    changes = {"body": "Try a turn-and-talk here", "move_id": lesson.moves["OEQ"],
               "goal_id": None, "private": True}  # fmt: skip
    note = _post(client, lesson.teacher_h, monologue["id"], "accept", changes).get_json()
    assert (note["start_ms"], note["end_ms"]) == (45000, 424000)
    assert {k: note[k] for k in changes} == changes
    timeline = client.get(f"/api/v1/videos/{lesson.video_id}/annotations",
                          headers=lesson.coach_h).get_json()["annotations"]  # fmt: skip
    assert timeline == []  # "only me": the coach never sees it


def test_a_dismissal_is_remembered(app, client, make_lesson):
    lesson = make_lesson()
    [talk] = lesson.by_kind(client, "student_talk")
    reply = _post(client, lesson.teacher_h, talk["id"], "dismiss")
    assert reply.status_code == 200
    assert reply.get_json() == {**talk, "state": "dismissed"}
    store_analysis(app, lesson.video_id)
    assert lesson.by_kind(client, "student_talk") == [{**talk, "state": "dismissed"}]
    assert _post(client, lesson.coach_h, talk["id"], "dismiss").status_code == 409
    assert _post(client, lesson.coach_h, talk["id"], "accept").status_code == 409


def test_who_sees_and_who_decides(client, make_user, make_lesson):
    lesson = make_lesson()
    viewer, commenter, other, admin, unpaired = (
        make_user(role) for role in ("teacher", "coach", "teacher", "admin", "coach")
    )
    for person, permission in ((viewer, "view"), (commenter, "comment")):
        shared = client.post(f"/api/v1/videos/{lesson.video_id}/shares", headers=lesson.teacher_h,
                             json={"email": person.email, "permission": permission})  # fmt: skip
        assert shared.status_code == 201, shared.get_json()
    ids = [s["id"] for s in lesson.suggestions(client)]
    url = f"/api/v1/videos/{lesson.video_id}/suggestions"
    for person in (other, admin, unpaired):
        headers = bearer(client, person.email)
        assert client.get(url, headers=headers).status_code == 404
        assert _post(client, headers, ids[0], "accept").status_code == 404
        assert _post(client, headers, ids[0], "dismiss").status_code == 404
    viewer_h = bearer(client, viewer.email)
    assert len(lesson.suggestions(client, viewer_h)) == len(ids)
    assert _post(client, viewer_h, ids[0], "accept").status_code == 403
    assert _post(client, viewer_h, ids[0], "dismiss").status_code == 403
    commenter_h = bearer(client, commenter.email)
    assert _post(client, commenter_h, ids[0], "accept").status_code == 201
    assert _post(client, commenter_h, ids[1], "dismiss").status_code == 200
    assert _post(client, commenter_h, 999_999, "dismiss").status_code == 404


def test_forget_removes_them_and_keeps_the_notes(app, client, make_lesson):
    from webapp import db
    from webapp.suggestions import services
    from webapp.video.models import Video

    lesson = make_lesson()
    first = lesson.suggestions(client)[0]
    note = _post(client, lesson.coach_h, first["id"], "accept").get_json()
    with app.app_context():
        services.forget(db.session().get(Video, lesson.video_id))
        db.session().commit()
    assert lesson.suggestions(client) == []
    timeline = client.get(f"/api/v1/videos/{lesson.video_id}/annotations",
                          headers=lesson.coach_h).get_json()["annotations"]  # fmt: skip
    assert [n["id"] for n in timeline] == [note["id"]]


def test_an_analysis_not_done_suggests_nothing(app, client, make_lesson):
    lesson = make_lesson(analysed=False)
    assert lesson.suggestions(client) == []
    store_analysis(app, lesson.video_id)
    assert lesson.suggestions(client) != []
    store_analysis(app, lesson.video_id, status="failed")
    assert lesson.suggestions(client) == []
