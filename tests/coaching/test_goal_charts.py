"""Measured goals on the pages: the cycle form sets a goal's measure, the cycle page charts it
in server-drawn SVG (no script, no inline style), and the debrief summary shows the lesson's
figure for each measured goal."""

import re
from datetime import timedelta

from tests.coaching.conftest import LESSON_DAY
from tests.conftest import csrf_token


def _measure(client, cycle, goal: int, **measure) -> None:
    reply = client.patch(
        f"/api/v1/goals/{cycle.goal_ids[goal]}", json=measure, headers=cycle.coach_h
    )
    assert reply.status_code == 200, reply.get_json()


def _lesson(make_ready_video, cycle, n: int) -> int:
    day = LESSON_DAY + timedelta(days=7 * (n - 1))
    return make_ready_video(cycle.teacher, cycle.id, f"Lesson {n}", created_at=day)


def test_cycle_page_charts_a_measured_goal_with_one_point_per_analysed_lesson(
    client, auth, cycle, make_ready_video, analysed
):
    first, second, third = (_lesson(make_ready_video, cycle, n) for n in (1, 2, 3))
    analysed(first, student_pct=25.0)
    analysed(second, student_pct=45.0)
    analysed(third, status="pending")
    _measure(client, cycle, 1, metric="student_talk_pct", target=40, direction="at_least")
    auth.login(cycle.teacher.email)
    reply = client.get(f"/cycles/{cycle.id}")
    page = reply.get_data(as_text=True)

    [svg] = re.findall(r'<svg class="chart".*?</svg>', page, re.S)  # goal 1 is not measured
    assert re.findall(r'<circle class="chart-point (\w+)"', svg) == ["unmet", "met"]
    links = re.findall(r'<a class="chart-link" href="([^"]+)" aria-label="([^"]+)"', svg)
    assert links == [
        (f"/videos/{first}", "Lesson 1, Lesson 1, 01 Nov 2026: 25 %, below the target"),
        (f"/videos/{second}", "Lesson 2, Lesson 2, 08 Nov 2026: 45 %, meets the target"),
    ]
    assert len(re.findall(r'<text class="chart-lesson[^"]*"', svg)) == 3  # every lesson's number
    assert 'class="chart-target"' in svg and 'class="chart-baseline"' in svg
    assert len(re.findall(r'<line class="chart-line"', svg)) == 1
    # CSP-clean: style-src 'self' forbids style attributes, script-src 'self' inline scripts.
    assert "style-src 'self'" in reply.headers["Content-Security-Policy"]
    assert " style=" not in page and re.findall(r"<script(?![^>]*\bsrc=)", page) == []

    assert "Measured by: Students&#39; share of talk (%), target at least 40 %" in page
    assert "baseline 25 % (first lesson measured)" in page
    assert (
        "The latest lesson measured, Lesson 2 (08 Nov 2026), meets the target: "
        "45 % against a target of at least 40 %." in page
    )
    table = re.search(r'<details class="chart-table">.*?</details>', page, re.S).group(0)
    assert table.count("<tr>") == 4  # the head and three lessons
    assert "Not analysed yet: the analysis is waiting for a worker." in table


def test_a_goal_not_met_yet_and_one_with_no_figure_say_so(
    client, auth, cycle, make_ready_video, analysed
):
    analysed(_lesson(make_ready_video, cycle, 1), waits_s=(1.0, 2.0))
    _measure(client, cycle, 0, metric="mean_wait_s", target=3, direction="at_least")
    _measure(client, cycle, 1, metric="open_questions_per_10min")
    auth.login(cycle.coach.email)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "does not meet the target yet: 1.5 s against a target of at least 3 s." in page
    assert "measured 1 per 10 min; no target is set." in page
    # Not a share: the axis runs to a round number above the target (3 s), its unit at the top.
    assert re.search(r'<text class="chart-axis"[^>]*>5 s</text>', page)
    assert len(re.findall(r'<svg class="chart"', page)) == 2


def test_a_measured_goal_without_lessons_explains_the_empty_chart(client, auth, cycle):
    _measure(client, cycle, 0, metric="wait_ge_pct", threshold_s=2)
    auth.login(cycle.teacher.email)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "Questions followed by a wait of at least 2 seconds (%)" in page
    assert "No lesson has a figure yet" in page and '<svg class="chart"' not in page


def _edit_form(client, cycle, **goal2) -> dict:
    return {
        "csrf_token": csrf_token(client, f"/cycles/{cycle.id}/edit"),
        "title": "Student talk", "status": "active",
        "goal-1-id": cycle.goal_ids[0], "goal-1": "Wait 3 s after questions",
        "goal-2-id": cycle.goal_ids[1], "goal-2": "Students talk 40% of the lesson",
        **{f"goal-2-{name}": value for name, value in goal2.items()},
    }  # fmt: skip


def test_the_cycle_form_sets_a_goals_measure_with_labelled_fields(client, auth, cycle):
    auth.login(cycle.coach.email)
    form = client.get(f"/cycles/{cycle.id}/edit").get_data(as_text=True)
    for n in (1, 2, 3):
        assert f'<label for="f-goal-{n}-metric">Measure</label>' in form
        assert f'<label for="f-goal-{n}-target">Target</label>' in form
        assert f'<label for="f-goal-{n}-direction">The figure should be</label>' in form
        assert f'<label for="f-goal-{n}-threshold">Wait that counts (seconds)</label>' in form
    assert "Students&#39; share of talk (%)" in form and "Not measured" in form

    data = _edit_form(client, cycle, metric="student_talk_pct", target="40", direction="at_least")
    assert client.post(f"/cycles/{cycle.id}/edit", data=data).status_code == 302
    goals = client.get(f"/api/v1/cycles/{cycle.id}/goals", headers=cycle.coach_h).get_json()
    assert [(g["metric"], g["target"], g["direction"]) for g in goals["goals"]] == [
        (None, None, None),
        ("student_talk_pct", 40.0, "at_least"),
    ]
    again = client.get(f"/cycles/{cycle.id}/edit").get_data(as_text=True)
    assert re.search(r'<option value="student_talk_pct"\s+selected>', again)
    assert 'name="goal-2-target" type="number" value="40"' in again


def test_the_cycle_form_shows_measure_errors_beside_their_fields(client, auth, cycle):
    auth.login(cycle.teacher.email)
    cases = [
        ({"metric": "student_talk_pct", "target": "150"}, "goal-2-target",
         "A percentage target is between 0 and 100."),
        ({"metric": "mean_wait_s", "target": "forty"}, "goal-2-target",
         "Enter a number, like 40 or 2.5."),
        ({"metric": "", "target": "3"}, "goal-2-target",
         "Choose what measures this goal before setting a target."),
        ({"metric": "student_talk_pct", "threshold": "2"}, "goal-2-threshold",
         "A wait threshold goes with the wait share metric."),
    ]  # fmt: skip
    for fields, name, message in cases:
        reply = client.post(f"/cycles/{cycle.id}/edit", data=_edit_form(client, cycle, **fields))
        page = reply.get_data(as_text=True)
        assert reply.status_code == 422, fields
        assert f'<p class="field-error" id="f-{name}-error">{message}</p>' in page
        assert re.search(rf'id="f-{name}" name="{name}"[^>]*aria-invalid="true"', page)
    goals = client.get(f"/api/v1/cycles/{cycle.id}/goals", headers=cycle.coach_h).get_json()
    assert goals["goals"][1]["metric"] is None


def test_debrief_summary_shows_the_lessons_figure_for_each_measured_goal(
    client, auth, cycle, make_ready_video, analysed, note
):
    lesson = _lesson(make_ready_video, cycle, 1)
    waiting = _lesson(make_ready_video, cycle, 2)
    analysed(lesson, student_pct=45.0)
    analysed(waiting, status="pending")
    note(lesson, cycle.coach, move_id=cycle.moves["WT"], goal_id=cycle.goal_ids[0])
    _measure(client, cycle, 0, metric="tagged_notes")
    _measure(client, cycle, 1, metric="student_talk_pct", target=40, direction="at_least")
    auth.login(cycle.teacher.email)
    page = " ".join(client.get(f"/videos/{lesson}/summary").get_data(as_text=True).split())
    assert (
        "<strong>Students&#39; share of talk (%):</strong> 45 % in this lesson · "
        "target at least 40 % · met" in page
    )
    assert (
        "<strong>Notes tagged with the goal&#39;s linked moves:</strong> 1 note in this lesson"
        in page
    )
    later = " ".join(client.get(f"/videos/{waiting}/summary").get_data(as_text=True).split())
    assert "no figure for this lesson. Not analysed yet" in later
