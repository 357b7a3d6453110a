"""Every state-changing route refuses a signed-in browser's request that lacks the CSRF token."""

from tests.conftest import csrf_token

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Exchanging a password for a token needs no cookie, so there is nothing to forge.
EXEMPT = {"auth_api.create_token"}
CSRF_MESSAGE = "Your form expired or was sent from elsewhere."


def _unsafe_routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & UNSAFE):
            if rule.endpoint not in EXEMPT:
                yield rule, method


def test_every_write_needs_the_token(app, client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    args = {"name": "poster.jpg", "answer": "accept"}  # every other one is an id; any will do
    refused = []
    for rule, method in _unsafe_routes(app):
        path = rule.build({a: args.get(a, 1) for a in rule.arguments}, append_unknown=False)[1]
        reply = client.open(path, method=method, json={})
        if reply.status_code != 400 or CSRF_MESSAGE not in reply.get_data(as_text=True):
            refused.append(f"{method} {rule.rule}: {reply.status_code}")
    assert refused == []
    assert client.get("/api/v1/me").status_code == 200  # still signed in: nothing went through


def test_the_token_lets_the_same_request_through(client, auth, make_user):
    teacher = make_user("teacher")
    auth.login(teacher.email)
    body = {"title": "Lesson", "filename": "l.mp4", "size_bytes": 10, "content_type": "video/mp4"}
    assert client.post("/api/v1/videos", json=body).status_code == 400
    headers = {"X-CSRFToken": csrf_token(client, "/")}
    assert client.post("/api/v1/videos", json=body, headers=headers).status_code == 201
