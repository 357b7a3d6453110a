"""Goals that measure themselves: each metric from a lesson's analysis, the baseline, the target,
lessons not analysed yet, and figures only for lessons the reader may watch."""

from datetime import timedelta

import pytest

from tests.coaching.conftest import LESSON_DAY, count_queries, lesson_analysis
from webapp.analysis.services import NOT_ANALYSED
from webapp.coaching.models import Goal, GoalMetric, Move
from webapp.coaching.progress import NO_TALK, NO_WAIT, WAITING, FigureStatus, Lesson, figure


def _goal(metric, threshold_s=None, target=None, direction=None, move_ids=()):
    return Goal(statement="G", metric=metric, threshold_s=threshold_s, target=target,
                direction=direction, moves=[Move(id=i) for i in move_ids])  # fmt: skip


def _lesson(analysis, tagged=None) -> Lesson:
    return Lesson(video=None, number=1, analysis=analysis, tagged=tagged or {})


# The default lesson: 30 minutes, students 40 % of talk, waits 0.8, 3.4, 1.2 and 5.0 s after
# four questions (three open) and a fifth question nobody answered.
@pytest.mark.parametrize(
    ("metric", "threshold_s", "expected"),
    [
        (GoalMetric.STUDENT_TALK_PCT, None, 40.0),
        (GoalMetric.TEACHER_TALK_PCT, None, 60.0),
        (GoalMetric.MEAN_WAIT_S, None, 2.6),
        (GoalMetric.WAIT_GE_PCT, None, 50.0),  # 3 s unless told: 3.4 and 5.0 of four
        (GoalMetric.WAIT_GE_PCT, 1.0, 75.0),
        (GoalMetric.WAIT_GE_PCT, 3.4, 50.0),  # a wait of exactly the threshold counts
        (GoalMetric.WAIT_GE_PCT, 6.0, 0.0),
        (GoalMetric.OPEN_QUESTIONS_PER_10MIN, None, 1.0),  # three in thirty minutes
    ],
)
def test_each_metric_is_read_from_the_lessons_analysis(metric, threshold_s, expected):
    found = figure(_goal(metric, threshold_s), _lesson(lesson_analysis(1)))
    assert (found.value, found.status, found.reason) == (expected, FigureStatus.MEASURED, None)


def test_the_wait_share_at_three_seconds_is_the_engines_own_figure():
    analysis = lesson_analysis(1, waits_s=(0.4, 2.9, 3.0, 7.2, 1.1, None))
    found = figure(_goal(GoalMetric.WAIT_GE_PCT), _lesson(analysis))
    assert found.value == analysis.metrics["wait_ge_3s_pct"] == 40.0


def test_open_questions_per_ten_minutes_follow_the_lessons_length():
    analysis = lesson_analysis(1, open_questions=4, duration_ms=480_000)  # 8 minutes
    assert figure(_goal(GoalMetric.OPEN_QUESTIONS_PER_10MIN), _lesson(analysis)).value == 5.0


def test_tagged_notes_sum_the_goals_linked_moves_and_need_no_analysis():
    goal = _goal(GoalMetric.TAGGED_NOTES, move_ids=(7, 9), target=3, direction="at_least")
    found = figure(goal, _lesson(lesson_analysis(1, status="pending"), {7: 2, 8: 5, 9: 1}))
    assert (found.value, found.status, found.met) == (3.0, FigureStatus.MEASURED, True)


def test_targets_are_met_on_their_side_inclusive():
    analysis = lesson_analysis(1, student_pct=40.0)
    at_most = _goal(GoalMetric.TEACHER_TALK_PCT, target=60, direction="at_most")
    at_least = _goal(GoalMetric.STUDENT_TALK_PCT, target=40.5, direction="at_least")
    untargeted = _goal(GoalMetric.STUDENT_TALK_PCT)
    assert figure(at_most, _lesson(analysis)).met is True
    assert figure(at_least, _lesson(analysis)).met is False
    assert figure(untargeted, _lesson(analysis)).met is None


def test_a_figure_undefined_in_an_analysed_lesson_says_why():
    silent = lesson_analysis(1, student_pct=None, waits_s=(None,))
    talk = figure(_goal(GoalMetric.STUDENT_TALK_PCT), _lesson(silent))
    wait = figure(_goal(GoalMetric.MEAN_WAIT_S), _lesson(silent))
    share = figure(_goal(GoalMetric.WAIT_GE_PCT), _lesson(silent))
    assert (talk.value, talk.status, talk.reason) == (None, FigureStatus.NO_FIGURE, NO_TALK)
    assert (wait.reason, share.reason) == (NO_WAIT, NO_WAIT)


def test_a_lesson_not_analysed_has_no_figure_and_its_analysis_state():
    waiting = figure(_goal(GoalMetric.MEAN_WAIT_S), _lesson(lesson_analysis(1, status="pending")))
    assert (waiting.value, waiting.status) == (None, FigureStatus.PENDING)
    assert waiting.reason == WAITING["pending"]
    failed = lesson_analysis(1, status="failed")
    failed.error = "The recording could not be read."
    found = figure(_goal(GoalMetric.MEAN_WAIT_S), _lesson(failed))
    assert (found.status, found.reason) == (FigureStatus.FAILED, "The recording could not be read.")


# ---- through the API, on the real database -------------------------------------------------


def _lessons(make_ready_video, cycle, count: int, owner=None) -> list[int]:
    """`count` lessons a week apart, made newest first so that only their dates order them."""
    ids = [
        make_ready_video(owner or cycle.teacher, cycle.id, f"Lesson {n}",
                         created_at=LESSON_DAY + timedelta(days=7 * (n - 1)))
        for n in range(count, 0, -1)
    ]  # fmt: skip
    return ids[::-1]


def _measure(client, cycle, goal_id, headers=None, **measure):
    reply = client.patch(f"/api/v1/goals/{goal_id}", json=measure, headers=headers or cycle.coach_h)
    assert reply.status_code == 200, reply.get_json()
    return reply.get_json()


def _progress(client, cycle, headers) -> list[dict]:
    reply = client.get(f"/api/v1/cycles/{cycle.id}/progress", headers=headers)
    assert reply.status_code == 200, reply.get_json()
    assert reply.get_json()["cycle_id"] == cycle.id
    return reply.get_json()["goals"]


def test_progress_per_lesson_with_baseline_target_and_unanalysed_lessons(
    client, cycle, make_ready_video, analysed
):
    first, second, third, fourth = _lessons(make_ready_video, cycle, 4)
    analysed(first, student_pct=25.0)
    analysed(second, student_pct=45.5)
    analysed(third, status="pending")  # fourth has no analysis at all
    talk = cycle.goal_ids[1]
    answer = _measure(client, cycle, talk, metric="student_talk_pct", target=40,
                      direction="at_least")  # fmt: skip
    assert answer["baseline"] == 25.0 and answer["target"] == 40.0

    for headers in (cycle.teacher_h, cycle.coach_h):
        [goal] = _progress(client, cycle, headers)  # the unmeasured goal is left out
        assert {k: v for k, v in goal.items() if k != "lessons"} == {
            "goal_id": talk, "statement": "Students talk 40% of the lesson",
            "metric": "student_talk_pct", "target": 40.0, "direction": "at_least",
            "threshold_s": None, "baseline": 25.0, "unit": "%", "latest_met": True,
        }  # fmt: skip
        lessons = goal["lessons"]
        assert [lesson["video_id"] for lesson in lessons] == [first, second, third, fourth]
        assert [lesson["number"] for lesson in lessons] == [1, 2, 3, 4]
        assert [lesson["value"] for lesson in lessons] == [25.0, 45.5, None, None]
        assert [lesson["met"] for lesson in lessons] == [False, True, None, None]
        assert [lesson["status"] for lesson in lessons] == [
            "measured",
            "measured",
            "pending",
            "off",
        ]
        assert lessons[2]["reason"] == WAITING["pending"] and lessons[3]["reason"] == NOT_ANALYSED
        assert lessons[0]["title"] == "Lesson 1"
        assert lessons[0]["recorded_at"].startswith("2026-11-01T")
    goals = client.get(f"/api/v1/cycles/{cycle.id}/goals", headers=cycle.teacher_h).get_json()
    assert [g["baseline"] for g in goals["goals"]] == [None, 25.0]


def test_the_baseline_waits_for_the_first_analysed_lesson(
    client, cycle, make_ready_video, analysed
):
    first, second = _lessons(make_ready_video, cycle, 2)
    analysed(first, status="failed")
    analysed(second, waits_s=(2.0, 4.0))
    wait = cycle.goal_ids[0]
    _measure(client, cycle, wait, metric="mean_wait_s", target=3.5, direction="at_least")
    [goal] = _progress(client, cycle, cycle.coach_h)
    assert goal["baseline"] == 3.0 and goal["unit"] == "s" and goal["latest_met"] is False
    assert [lesson["status"] for lesson in goal["lessons"]] == ["failed", "measured"]


def test_a_cycle_without_analysed_lessons_has_no_baseline(client, cycle, make_ready_video):
    _lessons(make_ready_video, cycle, 1)
    _measure(client, cycle, cycle.goal_ids[0], metric="wait_ge_pct", threshold_s=2.5)
    [goal] = _progress(client, cycle, cycle.teacher_h)
    assert (goal["baseline"], goal["latest_met"], goal["threshold_s"]) == (None, None, 2.5)
    assert goal["lessons"][0]["value"] is None


def test_a_lesson_the_reader_cannot_watch_gives_no_figures(
    client, cycle, make_ready_video, analysed, make_user
):
    # The coach's own recording filed under the teacher's cycle (the upload form refuses this,
    # but the rule must hold whatever put it there): the teacher may not watch it.
    coachs = make_ready_video(cycle.coach, cycle.id, "Coach model lesson", created_at=LESSON_DAY)
    teachers = make_ready_video(
        cycle.teacher, cycle.id, "Teacher lesson", created_at=LESSON_DAY + timedelta(days=7)
    )
    analysed(coachs, student_pct=71.0)
    analysed(teachers, student_pct=30.0)
    _measure(client, cycle, cycle.goal_ids[1], metric="student_talk_pct", target=40,
             direction="at_least")  # fmt: skip

    [mine] = _progress(client, cycle, cycle.teacher_h)
    assert [lesson["video_id"] for lesson in mine["lessons"]] == [teachers]
    assert mine["baseline"] == 30.0
    reply = client.get(f"/api/v1/cycles/{cycle.id}/progress", headers=cycle.teacher_h)
    assert "Coach model lesson" not in reply.text
    assert [lesson["value"] for lesson in mine["lessons"]] == [30.0]
    goals = client.get(f"/api/v1/cycles/{cycle.id}/goals", headers=cycle.teacher_h).get_json()
    assert goals["goals"][1]["baseline"] == 30.0
    [theirs] = _progress(client, cycle, cycle.coach_h)
    assert [lesson["video_id"] for lesson in theirs["lessons"]] == [coachs, teachers]
    assert theirs["baseline"] == 71.0

    from tests.conftest import bearer

    for role in ("admin", "coach"):  # an admin, and a coach not paired with the teacher
        headers = bearer(client, make_user(role).email)
        assert client.get(f"/api/v1/cycles/{cycle.id}/progress", headers=headers).status_code == 404


def test_reading_a_coached_lessons_figures_is_in_the_owners_audit(
    client, cycle, make_ready_video, analysed
):
    [lesson] = _lessons(make_ready_video, cycle, 1)
    analysed(lesson)
    _measure(client, cycle, cycle.goal_ids[1], metric="teacher_talk_pct")
    _progress(client, cycle, cycle.coach_h)
    audit = client.get(f"/api/v1/videos/{lesson}/audit", headers=cycle.teacher_h).get_json()
    viewed = [e for e in audit["events"] if e["action"] == "video.viewed"]
    assert [e["actor"]["id"] for e in viewed] == [cycle.coach.id]


def test_tagged_notes_count_the_notes_each_reader_may_read(client, cycle, make_ready_video, note):
    [lesson] = _lessons(make_ready_video, cycle, 1)  # not analysed: tagged notes need no analysis
    wait, open_question, turn_talk = (cycle.moves[c] for c in ("WT", "OEQ", "TT"))
    note(lesson, cycle.coach, move_id=wait)
    note(lesson, cycle.teacher, move_id=open_question)
    note(lesson, cycle.coach, move_id=wait, private=True)  # "only me": the coach's alone
    note(lesson, cycle.coach, move_id=wait, deleted=True)
    note(lesson, cycle.coach, move_id=turn_talk)  # not one of goal 1's moves
    _measure(client, cycle, cycle.goal_ids[0], metric="tagged_notes", target=3,
             direction="at_least")  # fmt: skip
    [teacher] = _progress(client, cycle, cycle.teacher_h)
    [coach] = _progress(client, cycle, cycle.coach_h)
    assert (teacher["lessons"][0]["value"], teacher["lessons"][0]["met"]) == (2.0, False)
    assert (coach["lessons"][0]["value"], coach["lessons"][0]["met"]) == (3.0, True)
    assert teacher["unit"] == "notes" and teacher["lessons"][0]["status"] == "measured"


def test_progress_takes_as_many_queries_for_many_lessons_as_for_one(
    app, client, cycle, make_ready_video, analysed
):
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import progress
    from webapp.coaching.models import Cycle

    _measure(client, cycle, cycle.goal_ids[0], metric="mean_wait_s")
    _measure(client, cycle, cycle.goal_ids[1], metric="student_talk_pct")

    def queries() -> int:
        with app.test_request_context():
            session = db.session()
            user, row = session.get(User, cycle.coach.id), session.get(Cycle, cycle.id)
            [goal.moves for goal in row.goals]  # loaded, like the page has them
            with count_queries(app) as statements:
                found = progress.cycle_progress(row, user)
            assert len(found) == 2
            return len(statements)

    for video in _lessons(make_ready_video, cycle, 1):
        analysed(video)
    one = queries()
    for video in _lessons(make_ready_video, cycle, 5):
        analysed(video)
    assert queries() == one <= 4
