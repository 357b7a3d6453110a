"""Correcting a turn's speaker (webapp/analysis/corrections.py): the owner or their coach, on a
done analysis; the figures and the suggested moments follow, and the teacher's audit keeps who
changed what. Here, beside the suggestions, because it shares their analysed lesson."""

import pytest

from tests.conftest import bearer
from tests.suggestions.conftest import TURNS, store_analysis


def _correct(client, headers, video_id, index, speaker="teacher"):
    return client.patch(f"/api/v1/videos/{video_id}/analysis/turns/{index}", headers=headers,
                        json={"speaker": speaker})  # fmt: skip


def _talk(turns, speaker) -> float:
    return sum(b - a for a, b, who in turns if who == speaker) / 1000


def test_a_corrected_turn_changes_the_figures(app, client, make_lesson):
    from webapp import db
    from webapp.sharing.models import AuditEvent

    lesson = make_lesson()
    before = client.get(f"/api/v1/videos/{lesson.video_id}/analysis", headers=lesson.coach_h)
    before = before.get_json()
    student_s, teacher_s = _talk(TURNS, "student"), _talk(TURNS, "teacher")
    assert before["metrics"]["student_talk_pct"] == round(
        100 * student_s / (student_s + teacher_s), 2
    )
    assert before["questions"][0]["next_speaker"] == "student"
    # The answer to the first question (turn 1, 11.8 s) was the teacher's, not a student's.
    reply = _correct(client, lesson.coach_h, lesson.video_id, 1)
    assert reply.status_code == 200, reply.get_json()
    after = reply.get_json()
    assert after["turns"][1] == {**before["turns"][1], "speaker": "teacher", "corrected": True}
    assert not any(t["corrected"] for i, t in enumerate(after["turns"]) if i != 1)
    figures = after["metrics"]
    assert figures["student_talk_s"] == pytest.approx(student_s - 11.8)
    assert figures["teacher_talk_s"] == pytest.approx(teacher_s + 11.8)
    assert figures["student_talk_pct"] == 9.2 < before["metrics"]["student_talk_pct"] == 11.33
    assert figures["teacher_talk_pct"] == 90.8
    assert figures["student_turns"] == before["metrics"]["student_turns"] - 1
    assert after["questions"][0]["next_speaker"] == "teacher"
    assert [q["wait_ms"] for q in after["questions"]] == [q["wait_ms"] for q in before["questions"]]
    minute = after["metrics"]["talk_per_minute"][0]
    assert (minute["student_s"], minute["teacher_s"]) == (0.0, pytest.approx(23 + 11.8 + 15))
    assert client.get(f"/api/v1/videos/{lesson.video_id}/analysis",
                      headers=lesson.teacher_h).get_json() == after  # fmt: skip
    with app.app_context():
        [event] = db.session().query(AuditEvent).filter_by(action="analysis.turn_corrected")
        assert (event.actor_id, event.video_id) == (lesson.coach.id, lesson.video_id)
        assert {k: event.detail[k] for k in ("turn", "speaker", "was", "start_ms")} == {
            "turn": 1,
            "speaker": "teacher",
            "was": "student",
            "start_ms": 28200,
        }


def test_the_suggestions_follow_a_correction(client, make_lesson):
    lesson = make_lesson()
    [talk] = lesson.by_kind(client, "student_talk")
    [monologue] = lesson.by_kind(client, "monologue")
    # The 45 s of "students" (turns 7 and 8) were the teacher reading aloud.
    for index in (7, 8):
        assert _correct(client, lesson.teacher_h, lesson.video_id, index).status_code == 200
    assert lesson.by_kind(client, "student_talk") == []
    assert lesson.by_kind(client, "monologue") == [monologue]  # still there, same id
    # Back to students: suggested again (a new suggestion: the open one was dropped).
    for index in (7, 8):
        _correct(client, lesson.teacher_h, lesson.video_id, index, "student")
    [again] = lesson.by_kind(client, "student_talk")
    assert {**again, "id": talk["id"]} == talk


def test_who_may_correct_and_when(app, client, make_user, make_lesson):
    lesson = make_lesson()
    viewer, other, admin = make_user("teacher"), make_user("teacher"), make_user("admin")
    shared = client.post(f"/api/v1/videos/{lesson.video_id}/shares", headers=lesson.teacher_h,
                         json={"email": viewer.email, "permission": "comment"})  # fmt: skip
    assert shared.status_code == 201
    assert _correct(client, bearer(client, viewer.email), lesson.video_id, 0).status_code == 403
    for person in (other, admin):
        assert _correct(client, bearer(client, person.email), lesson.video_id, 0).status_code == 404
    assert _correct(client, lesson.teacher_h, lesson.video_id, len(TURNS)).status_code == 404
    wrong = _correct(client, lesson.teacher_h, lesson.video_id, 0, "teacher's aide")
    assert wrong.status_code == 422 and "speaker" in wrong.get_json()["error"]["fields"]
    store_analysis(app, lesson.video_id, status="running")
    busy = _correct(client, lesson.teacher_h, lesson.video_id, 0)
    assert busy.status_code == 409 and "analysed" in busy.get_json()["error"]["message"]
    unanalysed = make_lesson(analysed=False)
    assert _correct(client, unanalysed.teacher_h, unanalysed.video_id, 0).status_code == 409
