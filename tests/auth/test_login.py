"""Signing in and out through the real pages, sessions and CSRF."""

from tests.conftest import csrf_token


def test_login_page_renders_form(client):
    page = client.get("/login")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="email"' in html and 'name="password"' in html
    assert 'name="csrf_token"' in html


def test_teacher_signs_in_and_sees_teacher_home(client, auth, make_user):
    teacher = make_user("teacher", name="Tess Teacher")
    reply = auth.login(teacher.email)
    assert reply.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Tess Teacher" in home
    assert "My coaching cycles" in home


def test_admin_lands_on_program_overview(client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin.email)
    reply = client.get("/")
    assert reply.status_code == 302 and reply.location.endswith("/admin/")
    assert "Program overview" in client.get("/admin/").get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_message(client, auth, make_user):
    teacher = make_user("teacher")
    wrong = auth.login(teacher.email, "wrong password!!")
    unknown = auth.login("nobody@example.org", "wrong password!!")
    assert wrong.status_code == unknown.status_code == 200
    message = "That email and password do not match an active account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_login_without_csrf_token_is_refused(client, make_user):
    teacher = make_user("teacher")
    reply = client.post(
        "/login", data={"email": teacher.email, "password": "correct horse battery"}
    )
    assert reply.status_code == 400
    assert "Reload the page" in reply.get_data(as_text=True)


def test_session_id_changes_at_login(client, auth, make_user):
    teacher = make_user("teacher")
    client.get("/login")
    before = client.get_cookie("session").value
    auth.login(teacher.email)
    assert client.get_cookie("session").value != before


def test_logout_ends_the_session(client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    auth.logout()
    reply = client.get("/cycles")
    assert reply.status_code == 302 and "/login" in reply.location


def test_sign_out_everywhere_invalidates_other_sessions(app, make_user):
    from tests.conftest import Auth

    teacher = make_user("teacher")
    laptop, phone = app.test_client(), app.test_client()
    Auth(laptop).login(teacher.email)
    Auth(phone).login(teacher.email)
    token = csrf_token(laptop, "/")
    laptop.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert phone.get("/cycles").status_code == 302


def test_deactivated_user_cannot_sign_in(app, client, auth, make_user):
    from webapp import db
    from webapp.auth import services

    teacher = make_user("teacher")
    with app.app_context():
        services.set_active(services.get_user(teacher.id), False)
        db.session().commit()
    reply = auth.login(teacher.email)
    assert reply.status_code == 200 and "do not match an active account" in reply.get_data(
        as_text=True
    )


def test_next_parameter_only_follows_local_paths(client, make_user):
    teacher = make_user("teacher")
    token = csrf_token(client)
    data = {"email": teacher.email, "password": "correct horse battery", "csrf_token": token}
    evil = client.post("/login?next=//evil.example.org/", data=data)
    assert evil.status_code == 400 and "not on this site" in evil.get_data(as_text=True)
    assert client.get("/").status_code == 302  # refused before the password was checked
    good = client.post("/login?next=/cycles", data=data)
    assert good.location == "/cycles"


def test_passwords_are_stored_as_argon2id(app, make_user):
    from webapp.auth import services

    teacher = make_user("teacher")
    with app.app_context():
        assert services.get_user(teacher.id).password_hash.startswith("$argon2id$")
