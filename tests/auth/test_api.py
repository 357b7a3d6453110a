"""Bearer tokens, /me, JSON errors and CSRF on cookie-authenticated JSON writes."""

from tests.conftest import bearer


def test_token_then_me(client, make_user):
    coach = make_user("coach", name="Cora Coach")
    headers = bearer(client, coach.email)
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.get_json()["name"] == "Cora Coach"
    assert me.get_json()["role"] == "coach"
    assert "Set-Cookie" not in me.headers  # a bearer request starts no session


def test_token_with_bad_credentials_is_401_json(client, make_user):
    teacher = make_user("teacher")
    reply = client.post(
        "/api/v1/tokens", json={"email": teacher.email, "password": "nope-nope-nope"}
    )
    assert reply.status_code == 401
    assert reply.get_json()["error"]["code"] == "unauthorized"


def test_token_request_must_be_json_with_fields(client):
    reply = client.post("/api/v1/tokens", data="email=x")
    assert reply.status_code == 422
    reply = client.post("/api/v1/tokens", json={"email": "a@b.org"})
    assert reply.status_code == 422
    assert "password" in reply.get_json()["error"]["fields"]


def test_me_without_credentials_is_401(client):
    reply = client.get("/api/v1/me")
    assert reply.status_code == 401
    body = reply.get_json()
    assert body["error"]["code"] == "unauthorized" and body["error"]["message"]


def test_bad_bearer_token_is_401(client):
    reply = client.get("/api/v1/me", headers={"Authorization": "Bearer dbf_not-a-token"})
    assert reply.status_code == 401


def test_revoked_token_stops_working(app, client, make_user):
    from webapp import db
    from webapp.auth import services

    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    with app.app_context():
        user = services.get_user(teacher.id)
        [token] = services.list_tokens(user)
        services.revoke_token(user, token.id)
        db.session().commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_session_json_write_needs_csrf_header(client, auth, make_user):
    admin = make_user("admin")
    coach, teacher = make_user("coach"), make_user("teacher")
    auth.login(admin.email)
    body = {"coach_id": coach.id, "teacher_id": teacher.id}
    refused = client.post("/api/v1/pairings", json=body)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/api/v1/pairings", json=body, headers=auth.json_headers())
    assert accepted.status_code == 201


def test_unknown_api_route_is_json_404(client):
    reply = client.get("/api/v1/nothing-here")
    assert reply.status_code == 404
    assert reply.get_json()["error"]["code"] == "not_found"


def test_security_headers_on_pages(client):
    reply = client.get("/login")
    csp = reply.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
