"""Sessions end on the server, and API tokens are listable and revocable (API and account page)."""

import re

from tests.conftest import Auth, bearer, csrf_token


def _signed_in(client) -> bool:
    return client.get("/api/v1/me").status_code == 200


def test_a_copied_session_cookie_dies_at_logout(app, client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    stolen = client.get_cookie("session").value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert not _signed_in(thief)


def test_a_copied_remember_cookie_dies_at_logout(app, client, make_user):
    teacher = make_user("teacher")
    data = {"email": teacher.email, "password": "correct horse battery", "remember": "1"}
    client.post("/login", data={**data, "csrf_token": csrf_token(client)})
    remembered = client.get_cookie("remember_token").value
    restored = app.test_client()
    restored.set_cookie("remember_token", remembered)
    assert _signed_in(restored)  # the cookie works until...
    Auth(client).logout()
    thief = app.test_client()
    thief.set_cookie("remember_token", remembered)
    assert not _signed_in(thief)


def test_sign_out_everywhere_ends_copied_cookies_and_tokens(app, client, auth, make_user):
    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    phone = app.test_client()
    Auth(phone).login(teacher.email)
    phone_cookie = phone.get_cookie("session").value
    auth.login(teacher.email)
    client.post("/account/sign-out-everywhere", data={"csrf_token": csrf_token(client, "/")})
    assert not _signed_in(client) and not _signed_in(phone)
    thief = app.test_client()
    thief.set_cookie("session", phone_cookie)
    assert not _signed_in(thief)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    auth.login(teacher.email)
    assert client.get("/api/v1/tokens").get_json()["tokens"] == []  # listed as gone, too


def test_reactivating_an_account_revives_no_token(app, client, make_user):
    from webapp import db
    from webapp.auth import services

    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    for active in (False, True):
        with app.app_context():
            services.set_active(services.get_user(teacher.id), active)
            db.session().commit()
        assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert client.get("/api/v1/me", headers=bearer(client, teacher.email)).status_code == 200


def test_signing_in_again_after_logout_works(client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    auth.logout()
    auth.login(teacher.email)
    assert _signed_in(client)


def test_token_list_never_shows_secrets_and_revoke_takes_effect(client, make_user):
    teacher = make_user("teacher")
    first = client.post("/api/v1/tokens", json={
        "email": teacher.email, "password": "correct horse battery", "name": "Laptop"})  # fmt: skip
    secret = first.get_json()["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    second = bearer(client, teacher.email)
    listed = client.get("/api/v1/tokens", headers=headers)
    assert listed.status_code == 200
    tokens = listed.get_json()["tokens"]
    assert {t["name"] for t in tokens} == {"Laptop", "API token"}
    assert set(tokens[0]) == {"id", "name", "created_at", "last_used_at"}
    assert secret not in listed.get_data(as_text=True)
    laptop = next(t for t in tokens if t["name"] == "Laptop")
    assert laptop["last_used_at"] is not None  # this very request used it
    assert client.delete(f"/api/v1/tokens/{laptop['id']}", headers=second).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    remaining = client.get("/api/v1/tokens", headers=second).get_json()["tokens"]
    assert [t["name"] for t in remaining] == ["API token"]


def test_nobody_can_list_or_revoke_someone_elses_tokens(client, make_user):
    teacher, other = make_user("teacher"), make_user("teacher")
    mine, theirs = bearer(client, teacher.email), bearer(client, other.email)
    [their_token] = client.get("/api/v1/tokens", headers=theirs).get_json()["tokens"]
    assert len(client.get("/api/v1/tokens", headers=mine).get_json()["tokens"]) == 1
    assert client.delete(f"/api/v1/tokens/{their_token['id']}", headers=mine).status_code == 404
    assert client.get("/api/v1/me", headers=theirs).status_code == 200
    assert client.get("/api/v1/tokens").status_code == 401


def test_cookie_token_revoke_needs_csrf(client, auth, make_user):
    teacher = make_user("teacher")
    bearer(client, teacher.email)
    auth.login(teacher.email)
    [token] = client.get("/api/v1/tokens").get_json()["tokens"]
    assert client.delete(f"/api/v1/tokens/{token['id']}").status_code == 400
    ok = client.delete(f"/api/v1/tokens/{token['id']}", headers=auth.json_headers())
    assert ok.status_code == 204


def test_account_page_creates_shows_once_and_revokes(client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    page = client.get("/account").get_data(as_text=True)
    assert "You have no API tokens." in page and "Sign out everywhere" in page
    created = client.post("/account/tokens", data={
        "name": "Lab PC", "csrf_token": csrf_token(client, "/account")})  # fmt: skip
    html = created.get_data(as_text=True)
    secret = re.search(r'id="new-token">(dbf_[\w-]+)<', html).group(1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    again = client.get("/account").get_data(as_text=True)
    assert "Lab PC" in again and secret not in again
    [token] = client.get("/api/v1/tokens").get_json()["tokens"]
    action = f"/account/tokens/{token['id']}/revoke"
    assert action in again
    revoked = client.post(action, data={"csrf_token": csrf_token(client, "/account")})
    assert revoked.status_code == 302
    assert "Token revoked." in client.get("/account").get_data(as_text=True)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_account_page_needs_sign_in_and_is_linked_from_every_page(client, auth, make_user):
    assert client.get("/account").status_code == 302
    teacher = make_user("teacher")
    auth.login(teacher.email)
    assert 'href="/account"' in client.get("/cycles").get_data(as_text=True)
