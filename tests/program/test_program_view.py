"""The program view: figures per month, withheld below 3 teachers, never a name or a text."""

import csv
import io

from sqlalchemy import select as db_select

from webapp.db import utcnow
from webapp.program.figures import month_start

FEWER = "fewer than 3"
INPUTS = ("active_pairings", "cycles_opened", "lessons_uploaded", "notes")
OUTPUTS = ("goals_measured", "goals_improved")
OUTCOMES = ("goals_met_at_close", "rating_useful", "rating_safe", "rating_would_continue")


def this_month() -> str:
    return utcnow().strftime("%Y-%m")


def view_cells(app, user) -> dict[str, str]:
    """This month's cell texts of the program view as `user` gets it, by figure."""
    from webapp import db
    from webapp.auth.models import User
    from webapp.program import figures

    with app.app_context():
        view = figures.program_view(db.session().get(User, user.id))
        return {f.key: f.cells[this_month()].text for f in view.figures if not f.note}


def csv_row(client) -> dict[str, str]:
    reply = client.get("/admin/program.csv")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    rows = {row["month"]: row for row in csv.DictReader(io.StringIO(reply.get_data(as_text=True)))}
    return rows[this_month()]


def test_inputs_and_outputs_are_withheld_at_two_teachers_and_shown_at_three(
    app, client, auth, program
):
    program.add()
    program.add()
    cells = view_cells(app, program.admin)
    assert {key: cells[key] for key in INPUTS + OUTPUTS} == dict.fromkeys(INPUTS + OUTPUTS, FEWER)
    auth.login(program.admin.email)
    row = csv_row(client)
    assert {key: row[key] for key in INPUTS + OUTPUTS} == dict.fromkeys(INPUTS + OUTPUTS, FEWER)

    program.add(student_pct=(50.0, 35.0))  # a third teacher, whose goal went the wrong way
    expected = {"active_pairings": "3", "cycles_opened": "3", "lessons_uploaded": "6", "notes": "3",
                "goals_measured": "3", "goals_improved": "66.7 % (2 of 3)"}  # fmt: skip
    cells = view_cells(app, program.admin)
    assert {key: cells[key] for key in expected} == expected
    row = csv_row(client)
    assert {key: row[key] for key in expected} == expected
    assert row["debriefs_held"] == "not recorded yet"
    page = client.get("/admin/").get_data(as_text=True)
    assert "66.7 % (2 of 3)" in page
    assert "a figure computed from fewer than 3 teachers shows “fewer than 3”" in page
    assert "Debrief does not yet keep a record of each debrief held" in page


def test_outcomes_are_withheld_at_two_teachers_and_shown_at_three(app, client, auth, program):
    program.add(close=True, answer=((4, 5, 3),))
    program.add(close=True, answer=((5, 5, 4),))
    program.add(student_pct=(30.0, 35.0))  # a third teacher, not closed yet: not an outcome
    cells = view_cells(app, program.admin)
    assert {key: cells[key] for key in OUTCOMES} == dict.fromkeys(OUTCOMES, FEWER)
    assert cells["cycles_opened"] == "3"

    from tests.program.conftest import give_feedback, set_status

    set_status(app, program.cycles[2], "closed")
    give_feedback(app, program.cycles[2], program.teachers[2], (5, 4, 4))
    expected = {"goals_met_at_close": "66.7 % (2 of 3)", "rating_useful": "4.7",
                "rating_safe": "4.7", "rating_would_continue": "3.7"}  # fmt: skip
    assert {key: view_cells(app, program.admin)[key] for key in OUTCOMES} == expected
    auth.login(program.admin.email)
    assert {key: csv_row(client)[key] for key in OUTCOMES} == expected
    page = client.get("/admin/").get_data(as_text=True)
    assert '<td class="num">4.7</td>' in page and '<td class="num">3.7</td>' in page


def test_no_name_title_or_text_on_the_page_or_in_the_csv(app, client, auth, program):
    for _ in range(3):
        program.add(close=True)
    from tests.program.conftest import give_feedback

    for cycle_id, teacher in zip(program.cycles, program.teachers, strict=True):
        give_feedback(app, cycle_id, teacher, (4, 4, 4), "Secret comment", share=True)
    auth.login(program.admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    export = client.get("/admin/program.csv").get_data(as_text=True)
    for answer in (page, export):
        assert "Secret" not in answer  # names, cycle and lesson titles, goals, notes, comments
        for person in (*program.teachers, program.coach):
            assert person.email not in answer and person.name not in answer


def test_an_admin_sees_their_own_school_only(app, client, auth, make_user, program):
    for _ in range(3):
        program.add()
    other = make_user("admin", school="North School")
    assert set(view_cells(app, other).values()) == {FEWER}
    auth.login(other.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "North School" in page and "Test School" not in page
    assert set(csv_row(client).values()) - {FEWER, this_month()} == {
        "North School",
        "not recorded yet",
    }


def test_only_admins_get_the_program_view(client, auth, program):
    teacher, _ = program.add()
    for person in (teacher, program.coach):
        auth.login(person.email)
        assert client.get("/admin/").status_code == 403
        assert client.get("/admin/program.csv").status_code == 403


def test_a_withheld_month_is_a_gap_in_its_chart_not_a_zero():
    from webapp.program import chart, rules
    from webapp.program.figures import COUNT, Figure

    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    cells = [rules.cell(3, 5), rules.cell(2, 4), rules.cell(4, 6), rules.cell(5, 8)]
    trend = chart.trend(
        Figure("x", "Inputs", "X", COUNT, dict(zip(months, cells, strict=True))), months
    )
    assert [p.y is None for p in trend.points] == [False, True, False, False]
    assert [(a.month, b.month) for a, b in trend.segments] == [("2026-03", "2026-04")]
    assert [p.label for p in trend.points] == ["Jan", "", "", "Apr"]  # every third, back from now


def test_figures_count_in_their_own_months(app, program):
    """Lessons in the month they were uploaded; a pairing in every month it was active."""
    from webapp import db
    from webapp.coaching.models import Pairing
    from webapp.program.figures import program_view, window
    from webapp.video.models import Video

    for _ in range(3):
        program.add()
    months = window()
    earlier = month_start(months[-3])
    with app.app_context():
        session = db.session()
        for video in session.scalars(db_select(Video)):
            video.created_at = earlier
        for pairing in session.scalars(db_select(Pairing)):
            pairing.accepted_at = earlier
        session.commit()
        view = program_view(session.merge(program.admin))
    cells = {f.key: f.cells for f in view.figures}
    assert [cells["lessons_uploaded"][m].text for m in months[-4:]] == [FEWER, "6", FEWER, FEWER]
    assert [cells["active_pairings"][m].text for m in months[-4:]] == [FEWER, "3", "3", "3"]
