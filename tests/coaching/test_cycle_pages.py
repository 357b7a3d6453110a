"""The cycle pages: list with counts, the open and edit forms, status changes, and evidence."""

import re

from tests.coaching.conftest import count_queries
from tests.conftest import csrf_token


def _goal_fields(moves: dict, *goals) -> dict:
    """Form fields for goal slots: (statement, [move codes]) each."""
    data = {}
    for n, (statement, codes) in enumerate(goals, start=1):
        data[f"goal-{n}"] = statement
        data[f"goal-{n}-moves"] = [str(moves[c]) for c in codes]
    return data


def test_coach_opens_a_cycle_with_two_goals_from_the_form(client, auth, make_user, pair_users):
    coach, teacher, other = make_user("coach"), make_user("teacher"), make_user("teacher")
    pair_users(coach, teacher)
    auth.login(coach.email)
    form = client.get("/cycles/new").get_data(as_text=True)
    assert teacher.name in form and other.name not in form  # only my teachers
    framework_id = re.search(r'name="framework_id" value="(\d+)"', form).group(1)
    moves = {code: int(i) for i, code in re.findall(r'id="g1-m(\d+)".*?>(\w+)</span>', form, re.S)}
    data = {
        "csrf_token": csrf_token(client, "/cycles/new"),
        "teacher_id": teacher.id,
        "framework_id": framework_id,
        "title": "Student talk",
        "starts_on": "2026-11-02",
        "ends_on": "2026-12-18",
        "status": "active",
        **_goal_fields(
            moves, ("Wait 3 s after questions", ["WT"]), ("Students talk", ["TT", "RV"])
        ),
    }
    reply = client.post("/cycles/new", data=data)
    assert reply.status_code == 302
    page = client.get(reply.location).get_data(as_text=True)
    assert "Student talk" in page and "Wait 3 s after questions" in page
    assert "TT · Turn-and-talk" in page and "02 Nov 2026" in page
    listing = client.get("/cycles").get_data(as_text=True)
    assert "Student talk" in listing and 'href="/cycles/new"' in listing


def test_form_errors_are_shown_next_to_the_fields(client, auth, make_user, pair_users):
    coach, teacher = make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    auth.login(coach.email)
    form = client.get("/cycles/new").get_data(as_text=True)
    framework_id = re.search(r'name="framework_id" value="(\d+)"', form).group(1)
    base = {"csrf_token": csrf_token(client, "/cycles/new"), "framework_id": framework_id,
            "teacher_id": teacher.id, "title": "T", "status": "planned"}  # fmt: skip
    no_goals = client.post("/cycles/new", data=base)
    assert no_goals.status_code == 422
    assert "Write at least one goal." in no_goals.get_data(as_text=True)
    dates = client.post(
        "/cycles/new",
        data={**base, "goal-1": "G", "starts_on": "2026-12-01", "ends_on": "2026-11-01"},
    )
    html = dates.get_data(as_text=True)
    assert dates.status_code == 422
    assert "The end date must be on or after the start date." in html
    assert 'value="2026-12-01"' in html and ">G</textarea>" in html  # input kept
    empty = client.post("/cycles/new", data={**base, "teacher_id": "", "title": ""})
    html = empty.get_data(as_text=True)
    assert empty.status_code == 422 and html.count('class="field-error"') == 3  # all at once
    assert 'id="f-teacher_id-error">Required.' in html
    assert "Enter a title of 1 to 200 characters." in html and "Write at least one goal." in html


def test_teacher_form_offers_their_coaches_and_unpaired_people_are_told(
    client, auth, make_user, pair_users
):
    teacher, coach, lonely = make_user("teacher"), make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    auth.login(teacher.email)
    form = client.get("/cycles/new").get_data(as_text=True)
    assert 'name="coach_id"' in form and coach.name in form
    auth.logout()
    auth.login(lonely.email)
    assert "You have no coach yet." in client.get("/cycles/new").get_data(as_text=True)


def test_status_moves_forward_and_goals_are_edited(client, auth, cycle):
    auth.login(cycle.teacher.email)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "Close the cycle" in page and "Start the cycle" not in page
    token = csrf_token(client, f"/cycles/{cycle.id}")
    client.post(f"/cycles/{cycle.id}/status", data={"status": "closed", "csrf_token": token})
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "The cycle is now closed." in page and "Reopen the cycle" in page
    refused = client.post(
        f"/cycles/{cycle.id}/status", data={"status": "planned", "csrf_token": token}
    )
    assert "cannot become planned" in client.get(refused.location).get_data(as_text=True)

    form = client.get(f"/cycles/{cycle.id}/edit").get_data(as_text=True)
    assert "Wait 3 s after questions</textarea>" in form
    data = {
        "csrf_token": token,
        "title": "Talk moves",
        "status": "closed",
        "goal-1-id": cycle.goal_ids[0],
        "goal-2-id": cycle.goal_ids[1],
        **_goal_fields(
            cycle.moves,
            ("Wait 5 s after questions", ["WT"]),
            ("Students talk 40% of the lesson", ["TT"]),
            ("Exit ticket every lesson", ["ET"]),
        ),
    }
    assert client.post(f"/cycles/{cycle.id}/edit", data=data).status_code == 302
    goals = client.get(f"/api/v1/cycles/{cycle.id}", headers=cycle.coach_h).get_json()["goals"]
    assert [(g["id"] in cycle.goal_ids, g["statement"]) for g in goals] == [
        (True, "Wait 5 s after questions"),
        (True, "Students talk 40% of the lesson"),
        (False, "Exit ticket every lesson"),
    ]
    assert [g["move_ids"] for g in goals] == [
        [cycle.moves["WT"]],
        [cycle.moves["TT"]],
        [cycle.moves["ET"]],
    ]
    blank = client.post(f"/cycles/{cycle.id}/edit", data={**data, "goal-1": ""})
    assert blank.status_code == 422 and "A goal needs a statement." in blank.text


def test_cycle_page_shows_videos_and_evidence_with_privacy(
    client, auth, cycle, make_ready_video, note, make_user
):
    video = make_ready_video(cycle.teacher, cycle.id, "Fractions lesson", duration_ms=600_000)
    goal = cycle.goal_ids[0]
    note(video, cycle.coach, start_ms=83_000, goal_id=goal, move_id=cycle.moves["WT"],
         body="Great pause <b>here</b>")  # fmt: skip
    note(video, cycle.coach, start_ms=90_000, goal_id=goal, body="Coach only", private=True)
    note(video, cycle.coach, start_ms=95_000, goal_id=goal, body="Gone", deleted=True)
    auth.login(cycle.teacher.email)
    page = client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    assert "Fractions lesson" in page and "10:00" in page  # title and length
    assert f'href="/videos/{video}#t=83000"' in page and "1:23" in page
    assert "Great pause &lt;b&gt;here&lt;/b&gt;" in page  # escaped
    assert "Coach only" not in page and "Gone" not in page
    assert "How often each linked move was marked, per video" in page
    listing = client.get("/cycles").get_data(as_text=True)
    assert 'data-label="Videos">1<' in listing and 'data-label="Notes">1<' in listing
    auth.logout()
    auth.login(cycle.coach.email)
    assert "Coach only" in client.get(f"/cycles/{cycle.id}").get_data(as_text=True)
    auth.logout()
    auth.login(make_user("coach").email)
    assert client.get(f"/cycles/{cycle.id}").status_code == 404
    assert client.get(f"/cycles/{cycle.id}/edit").status_code == 404


def test_cycle_page_and_list_run_a_fixed_number_of_queries(
    app, client, auth, cycle, make_ready_video, note
):
    auth.login(cycle.coach.email)

    def queries(path):
        with count_queries(app) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    first = make_ready_video(cycle.teacher, cycle.id)
    note(first, cycle.coach, goal_id=cycle.goal_ids[0], move_id=cycle.moves["WT"])
    small = queries(f"/cycles/{cycle.id}"), queries("/cycles")  # records one view (audit)
    for _ in range(4):
        video = make_ready_video(cycle.teacher, cycle.id)
        for goal, move in zip(cycle.goal_ids * 2, ("WT", "OEQ", "CC", "TT"), strict=True):
            note(video, cycle.coach, goal_id=goal, move_id=cycle.moves[move])
    assert (queries(f"/cycles/{cycle.id}"), queries("/cycles")) == small
