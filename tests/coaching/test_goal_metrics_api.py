"""A goal's metric, target, direction and threshold through the API: what is refused, in our
words, and what a change keeps or clears. The database refuses a target without its metric."""

import pytest
from sqlalchemy.exc import IntegrityError


def _patch(client, cycle, body, goal=1):
    return client.patch(f"/api/v1/goals/{cycle.goal_ids[goal]}", json=body, headers=cycle.coach_h)


def _fields(reply) -> dict:
    assert reply.status_code == 422, reply.get_json()
    return reply.get_json()["error"]["fields"]


TALK = {"metric": "student_talk_pct", "direction": "at_least"}


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"target": 40}, {"target": "Choose what measures this goal before setting a target."}),
        ({"direction": "at_most"},
         {"direction": "Choose what measures this goal before setting a direction."}),
        ({**TALK, "target": 150}, {"target": "A percentage target is between 0 and 100."}),
        ({"metric": "wait_ge_pct", "target": 100.5, "direction": "at_least"},
         {"target": "A percentage target is between 0 and 100."}),
        ({"metric": "mean_wait_s", "target": 3},
         {"direction": "Say whether the figure should be at least or at most the target."}),
        ({"metric": "mean_wait_s", "direction": "at_least"},
         {"target": "Give the number the figure should be at least or at most."}),
        ({**TALK, "target": 40, "threshold_s": 2},
         {"threshold_s": "A wait threshold goes with the wait share metric."}),
        ({**TALK, "target": -1}, {"target": "At least 0."}),
        ({**TALK, "target": "40"}, {"target": "Must be a number."}),
        ({**TALK, "target": True}, {"target": "Must be a number."}),
        ({"metric": "wait_ge_pct", "threshold_s": 0}, {"threshold_s": "More than 0."}),
        ({"metric": "wait_ge_pct", "threshold_s": 90}, {"threshold_s": "At most 60."}),
    ],
)  # fmt: skip
def test_a_measure_that_does_not_hold_together_is_refused_in_our_words(client, cycle, body, fields):
    assert _fields(_patch(client, cycle, body)) == fields
    goal = client.get(f"/api/v1/cycles/{cycle.id}/goals", headers=cycle.coach_h).get_json()
    assert goal["goals"][1]["metric"] is None  # nothing was kept


def test_an_unknown_metric_or_direction_is_refused_by_the_schema(client, cycle):
    metric = _fields(_patch(client, cycle, {"metric": "talkiness"}))
    assert set(metric) == {"metric"} and metric["metric"].startswith("Choose one of")
    direction = _fields(_patch(client, cycle, {**TALK, "target": 4, "direction": "about"}))
    assert set(direction) == {"direction"}


def test_a_change_of_metric_starts_afresh_and_null_stops_measuring(client, cycle):
    def patch(body):
        reply = _patch(client, cycle, body)
        assert reply.status_code == 200, reply.get_json()
        answer = reply.get_json()
        return {k: answer[k] for k in ("metric", "target", "direction", "threshold_s")}

    wait_share = {"metric": "wait_ge_pct", "target": 80, "direction": "at_least",
                  "threshold_s": 2.5}  # fmt: skip
    assert patch(wait_share) == {**wait_share, "target": 80.0}
    assert patch({"statement": "Reworded"})["threshold_s"] == 2.5  # untouched
    assert patch({"metric": "mean_wait_s"}) == {
        "metric": "mean_wait_s", "target": None, "direction": None, "threshold_s": None,
    }  # fmt: skip
    assert patch({"target": 3, "direction": "at_most"})["target"] == 3.0  # same metric: kept
    assert patch({"metric": None}) == dict.fromkeys(wait_share)


def test_goals_are_created_measured_with_the_cycle_or_alone(client, cycle):
    measured = {"statement": "Students talk more", **TALK, "target": 40}
    body = {"teacher_id": cycle.teacher.id, "title": "Measured", "goals": [measured]}
    created = client.post("/api/v1/cycles", json=body, headers=cycle.coach_h)
    assert created.status_code == 201, created.get_json()
    [goal] = created.get_json()["goals"]
    assert (goal["metric"], goal["target"], goal["direction"]) == ("student_talk_pct", 40.0,
                                                                   "at_least")  # fmt: skip
    assert goal["baseline"] is None  # no lesson yet
    url = f"/api/v1/cycles/{cycle.id}/goals"
    bad = client.post(url, json={"statement": "Wait", "target": 3}, headers=cycle.teacher_h)
    assert set(_fields(bad)) == {"target"}
    alone = {"statement": "Wait longer", "metric": "wait_ge_pct", "threshold_s": 4}
    added = client.post(url, json=alone, headers=cycle.teacher_h)
    assert added.status_code == 201 and added.get_json()["threshold_s"] == 4.0
    in_cycle = client.post(
        "/api/v1/cycles", json={**body, "goals": [{**measured, "target": 400}]},
        headers=cycle.coach_h,
    )  # fmt: skip
    assert set(_fields(in_cycle)) == {"target"}


@pytest.mark.parametrize(
    "columns",
    [
        {"target": 40.0, "direction": "at_least"},  # a target without a metric
        {"metric": "student_talk_pct", "target": 40.0},  # a target without a direction
        {"metric": "student_talk_pct", "direction": "sideways", "target": 1.0},
        {"threshold_s": 3.0},
    ],
)
def test_the_database_refuses_a_measure_that_does_not_hold_together(app, cycle, columns):
    from webapp import db
    from webapp.coaching.models import Goal

    with app.app_context():
        session = db.session()
        goal = session.get(Goal, cycle.goal_ids[0])
        for name, value in columns.items():
            setattr(goal, name, value)
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()


def test_set_goal_metric_is_the_services_way_to_measure_a_goal(app, cycle):
    from webapp import db
    from webapp.coaching import services
    from webapp.coaching.models import Goal
    from webapp.errors import ValidationError

    with app.app_context():
        goal = db.session().get(Goal, cycle.goal_ids[1])
        services.set_goal_metric(goal, "student_talk_pct", 40, "at_least")
        db.session().commit()
        assert (goal.metric, goal.target, goal.direction) == ("student_talk_pct", 40, "at_least")
        with pytest.raises(ValidationError) as refused:
            services.set_goal_metric(goal, "open_questions_per_10min", -2, "at_least")
        assert refused.value.fields == {"target": "The target is a number of 0 or more."}
        services.set_goal_metric(goal, None)
        assert (goal.metric, goal.target, goal.direction) == (None, None, None)
