"""Admin pages: people, pairings, frameworks; nobody else gets in."""

from tests.conftest import csrf_token


def test_non_admins_get_403_on_admin_pages(client, auth, make_user):
    coach = make_user("coach")
    auth.login(coach.email)
    for path in ("/admin/", "/admin/people", "/admin/pairings", "/admin/frameworks"):
        assert client.get(path).status_code == 403


def test_anonymous_is_sent_to_login(client):
    reply = client.get("/admin/people")
    assert reply.status_code == 302 and "/login" in reply.location


def test_admin_adds_person_and_duplicate_email_is_explained(client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin.email)
    token = csrf_token(client, "/admin/people")
    form = {
        "name": "New Teacher",
        "email": "new@example.org",
        "role": "teacher",
        "password": "long enough pw",
        "csrf_token": token,
    }
    assert client.post("/admin/people", data=form).status_code == 302
    assert "new@example.org" in client.get("/admin/people").get_data(as_text=True)
    again = client.post("/admin/people", data=form)
    assert again.status_code == 409
    assert "already exists" in again.get_data(as_text=True)


def test_admin_bad_role_gets_field_error(client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin.email)
    token = csrf_token(client, "/admin/people")
    reply = client.post(
        "/admin/people",
        data={
            "name": "X",
            "email": "x@example.org",
            "role": "principal",
            "password": "long enough pw",
            "csrf_token": token,
        },
    )
    assert reply.status_code == 422
    assert "Role must be one of" in reply.get_data(as_text=True)


def test_admin_asks_for_a_pairing_that_waits_for_the_teacher(client, auth, make_user):
    admin, coach, teacher = make_user("admin"), make_user("coach"), make_user("teacher")
    auth.login(admin.email)
    token = csrf_token(client, "/admin/pairings")
    reply = client.post(
        "/admin/pairings",
        data={"coach_id": coach.id, "teacher_id": teacher.id, "csrf_token": token},
    )
    assert reply.status_code == 302
    page = client.get("/admin/pairings").get_data(as_text=True)
    assert "Waiting for the teacher to accept" in page and ">withdraw</button>" in page
    teacher_as_coach = client.post(
        "/admin/pairings",
        data={"coach_id": teacher.id, "teacher_id": teacher.id, "csrf_token": token},
    )
    assert teacher_as_coach.status_code == 422
    assert "only coaches and admins can coach" in teacher_as_coach.get_data(as_text=True)


def test_admin_archives_a_move_and_it_stays_listed(client, auth, make_user):
    import re

    admin = make_user("admin")
    auth.login(admin.email)
    page = client.get("/admin/frameworks").get_data(as_text=True)
    move_id = re.search(r"/admin/moves/(\d+)/archive", page).group(1)
    token = csrf_token(client, "/admin/frameworks")
    client.post(f"/admin/moves/{move_id}/archive", data={"archived": "1", "csrf_token": token})
    page = client.get("/admin/frameworks").get_data(as_text=True)
    assert "Archived · restore" in page


def test_program_overview_counts_without_content(client, auth, make_user, pair_users):
    admin, coach, teacher = make_user("admin"), make_user("coach"), make_user("teacher")
    pair_users(coach, teacher)
    auth.login(admin.email)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Test School" in page
    assert "fewer than 3" in page  # one teacher: every figure is withheld (tests/program)
