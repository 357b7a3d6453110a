"""Teachers' feedback on coaching: who answers, when, once; what the coach and admin see."""

from tests.conftest import bearer, csrf_token
from tests.program.conftest import give_feedback, set_status

ANSWER = {"useful": 4, "safe": 5, "would_continue": 3}


def test_only_the_cycles_teacher_answers_only_once_it_closed_and_only_once(
    app, client, make_user, program
):
    teacher, cycle_id = program.add()
    other = make_user("teacher")
    url = f"/api/v1/cycles/{cycle_id}/feedback"
    headers = {who: bearer(client, who.email) for who in (teacher, program.coach, other)}
    headers[program.admin] = bearer(client, program.admin.email)
    reply = client.post(url, headers=headers[teacher], json=ANSWER)
    assert reply.status_code == 409
    assert "once the cycle has closed" in reply.get_json()["error"]["message"]

    set_status(app, cycle_id, "closed")
    assert client.post(url, headers=headers[program.coach], json=ANSWER).status_code == 403
    for stranger in (other, program.admin):
        reply = client.post(url, headers=headers[stranger], json=ANSWER)
        assert reply.status_code == 404 and "Secret" not in reply.get_data(as_text=True)
    reply = client.post(url, headers=headers[teacher], json={**ANSWER, "comment": " Thanks "})
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json() | {"created_at": None} == {
        "cycle_id": cycle_id, **ANSWER, "comment": "Thanks", "share_comment": False,
        "created_at": None,
    }  # fmt: skip
    again = client.post(url, headers=headers[teacher], json=ANSWER)
    assert again.status_code == 409 and "already answered" in again.get_json()["error"]["message"]


def test_wrong_answers_are_clear_422s(app, client, program):
    teacher, cycle_id = program.add(close=True)
    url, headers = f"/api/v1/cycles/{cycle_id}/feedback", bearer(client, teacher.email)
    cases = [
        ({**ANSWER, "useful": 6}, "useful", "At most 5."),
        ({**ANSWER, "safe": 0}, "safe", "At least 1."),
        ({**ANSWER, "would_continue": "3"}, "would_continue", "Must be a whole number."),
        ({"useful": 4, "safe": 4}, "would_continue", "This field is required."),
        ({**ANSWER, "comment": "x" * 2001}, "comment", "At most 2000 characters."),
        ({**ANSWER, "stars": 5}, "stars", "Unknown field."),
    ]
    for body, where, message in cases:
        reply = client.post(url, headers=headers, json=body)
        assert reply.status_code == 422, body
        assert reply.get_json()["error"]["fields"][where] == message


def test_the_form_on_the_cycle_page_asks_checks_and_thanks(app, client, auth, program):
    teacher, cycle_id = program.add(close=True)
    auth.login(teacher.email)
    home = client.get("/").get_data(as_text=True)
    assert "has closed. How was the coaching?" in home
    page = client.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert "Did it feel safe and non-evaluative?" in page and 'name="share_comment"' in page
    token = csrf_token(client, f"/cycles/{cycle_id}")
    url = f"/cycles/{cycle_id}/feedback"
    assert client.post(url, data={"useful": "4"}).status_code == 400  # no CSRF token
    wrong = client.post(url, data={"useful": "9", "safe": "x", "csrf_token": token})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and text.count("Choose a number from 1 to 5.") == 3
    form = {
        "useful": "4",
        "safe": "5",
        "would_continue": "4",
        "comment": "Kept",
        "csrf_token": token,
    }
    assert client.post(url, data=form).status_code == 302
    page = client.get(f"/cycles/{cycle_id}").get_data(as_text=True)
    assert "Your feedback on the coaching" in page and "Not shared with anyone." in page
    assert "has closed. How was the coaching?" not in client.get("/").get_data(as_text=True)
    assert client.post(url, data=form).status_code == 409


def test_the_coach_sees_averages_from_three_teachers_and_only_shared_comments(
    app, client, auth, program
):
    _, unshared = program.add(close=True, answer=((5, 5, 5), "Unshared words 81x"))
    _, shared = program.add(close=True, answer=((1, 2, 3), "Shared words 27q", True))
    auth.login(program.coach.email)
    home = client.get("/").get_data(as_text=True)
    assert "Your coaching" in home and "once 3 or more of them have answered" in home
    assert "Unshared words" not in client.get(f"/cycles/{unshared}").get_data(as_text=True)
    assert "Shared words 27q" in client.get(f"/cycles/{shared}").get_data(as_text=True)

    program.add(close=True, answer=((3, 5, 4),))
    home = client.get("/").get_data(as_text=True)
    assert "what 3 teachers said" in home
    for average in ("<dd>3</dd>", "<dd>4</dd>"):  # useful 3, safe 4, continue 4
        assert average in home
    answers = [client.get(f"/cycles/{c}").get_data(as_text=True) for c in program.cycles]
    assert not any("Unshared words" in page for page in [*answers, home])


def test_admins_see_ratings_as_aggregates_only(app, client, auth, make_user, program):
    for ratings in ((5, 5, 5), (4, 4, 4), (3, 3, 3)):
        program.add(close=True, answer=(ratings, "Secret comment 55z", True))
    auth.login(program.admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert '<td class="num">4</td>' in page and "Secret comment" not in page
    for cycle_id in program.cycles:
        assert client.get(f"/cycles/{cycle_id}").status_code == 404
        assert client.get(f"/cycles/{cycle_id}/feedback").status_code == 404
    other = make_user("admin", school="North School")
    auth.login(other.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert '<td class="num">4</td>' not in page and "Secret" not in page


def test_closing_records_each_goals_outcome_and_reopening_forgets_it(app, program):
    from webapp import db
    from webapp.coaching.models import Cycle

    _, met = program.add(student_pct=(30.0, 45.0))
    _, unmet = program.add(student_pct=(45.0, 30.0))
    for cycle_id in (met, unmet):
        set_status(app, cycle_id, "closed")

    def outcome(cycle_id):
        with app.app_context():
            cycle = db.session().get(Cycle, cycle_id)
            return cycle.closed_at is not None, [goal.met_at_close for goal in cycle.goals]

    assert (outcome(met), outcome(unmet)) == ((True, [True]), (True, [False]))
    set_status(app, met, "active")
    assert outcome(met) == (False, [None])


def test_the_coach_cannot_open_the_teachers_form(app, client, auth, program):
    teacher, cycle_id = program.add(close=True)
    give_feedback(app, cycle_id, teacher, (2, 2, 2), "Only mine 3k", share=False)
    auth.login(program.coach.email)
    reply = client.get(f"/cycles/{cycle_id}/feedback")
    assert reply.status_code == 403 and "Only mine" not in reply.get_data(as_text=True)
