"""Errors never reveal people or objects the caller cannot see (DESIGN §4).

Each probe sends the same request about something hidden and about something that does not
exist: the two answers must be identical, and no answer may carry a hidden person's name.
"""

from tests.conftest import bearer


def _same_answer(first, second) -> None:
    assert first.status_code == second.status_code
    assert first.get_json() == second.get_json()


def test_opening_a_cycle_names_nobody(client, make_user, pair_users):
    coach, teacher = make_user("coach"), make_user("teacher")
    hidden_teacher = make_user("teacher", name="Olive Other-Teacher", school="Far School")
    hidden_coach = make_user("coach", name="Carl Other-Coach", school="Far School")
    pair_users(coach, teacher)
    as_coach, as_teacher = bearer(client, coach.email), bearer(client, teacher.email)
    for headers, field, hidden in (
        (as_coach, "teacher_id", hidden_teacher),
        (as_teacher, "coach_id", hidden_coach),
    ):
        probes = [
            client.post("/api/v1/cycles", json={"title": "C", field: who}, headers=headers)
            for who in (hidden.id, 987_654)
        ]
        _same_answer(*probes)
        assert probes[0].status_code == 422
        assert hidden.name not in probes[0].get_data(as_text=True)


def test_sharing_tells_nobody_who_has_an_account(app, client, make_user, make_ready_video):
    from webapp import db
    from webapp.auth.models import User

    owner = make_user("teacher")
    elsewhere = make_user("teacher", name="Ed Elsewhere", school="Far School")
    gone = make_user("teacher", name="Gil Gone")
    with app.app_context():
        db.session().get(User, gone.id).active = False
        db.session().commit()
    video_id = make_ready_video(owner)
    headers = bearer(client, owner.email)
    answers = [
        client.post(f"/api/v1/videos/{video_id}/shares", json={"email": email}, headers=headers)
        for email in (elsewhere.email, gone.email, "nobody-at-all@example.org")
    ]
    _same_answer(answers[0], answers[2])
    _same_answer(answers[1], answers[2])
    assert answers[0].status_code == 422
    assert "Ed Elsewhere" not in answers[0].get_data(as_text=True)


def test_a_hidden_goal_looks_like_no_goal(app, client, make_user, pair_users):
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import services as coaching

    coach, teacher, outsider = make_user("coach"), make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    with app.app_context():
        cycle = coaching.create_cycle(
            teacher=db.session().get(User, teacher.id),
            coach=db.session().get(User, coach.id),
            title="Private cycle",
            goals=["Wait three seconds"],
        )
        db.session().commit()
        goal_id = cycle.goals[0].id
    headers = bearer(client, outsider.email)
    probes = [
        client.patch(f"/api/v1/goals/{gid}", json={"statement": "Mine now"}, headers=headers)
        for gid in (goal_id, 987_654)
    ]
    _same_answer(*probes)
    assert probes[0].status_code == 404
    assert "Wait three seconds" not in probes[0].get_data(as_text=True)
