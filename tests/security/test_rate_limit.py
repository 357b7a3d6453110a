"""Password-check throttling per account and address and per address, in the real Redis."""

import time

import pytest

from tests.conftest import Auth, csrf_token
from webapp.auth.ratelimit import MESSAGE

WRONG = "wrong password!!"


@pytest.fixture
def limits(app):
    app.config.update(LOGIN_FAILURES_PER_ACCOUNT=3, LOGIN_FAILURES_PER_IP=6)
    return app.config


def _token(client, email, password=WRONG, ip="127.0.0.1"):
    return client.post(
        "/api/v1/tokens",
        json={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_account_is_limited_with_the_same_answer_whether_or_not_it_exists(
    client, make_user, limits
):
    teacher = make_user("teacher")
    for email in (teacher.email, "nobody@example.org"):
        assert [_token(client, email).status_code for _ in range(3)] == [401] * 3
        refused = _token(client, email)
        assert refused.status_code == 429
        assert refused.get_json()["error"] == {
            "code": "rate_limited", "message": MESSAGE, "fields": {}}  # fmt: skip
        assert 0 < int(refused.headers["Retry-After"]) <= 900
    # Even the right password waits, from this address: the guesser is slowed, not the guess.
    assert _token(client, teacher.email, "correct horse battery").status_code == 429


def test_html_form_is_limited_too(client, make_user, limits):
    teacher = make_user("teacher")
    auth = Auth(client)
    for _ in range(3):
        assert auth.login(teacher.email, WRONG).status_code == 200
    refused = auth.login(teacher.email)
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert MESSAGE in refused.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still signed out


def test_address_is_limited_across_accounts(client, make_user, limits):
    teacher = make_user("teacher")
    for n in range(6):
        assert _token(client, f"guess{n}@example.org", ip="10.1.1.1").status_code == 401
    assert _token(client, teacher.email, "correct horse battery", "10.1.1.1").status_code == 429
    # Another address is unaffected.
    assert _token(client, teacher.email, "correct horse battery", "10.1.1.2").status_code == 201


def test_success_clears_the_account_but_not_the_address(client, make_user, limits):
    teacher = make_user("teacher")
    for _ in range(2):
        _token(client, teacher.email, ip="10.2.2.2")
    assert _token(client, teacher.email, "correct horse battery", "10.2.2.2").status_code == 201
    # The account starts again from zero...
    assert [_token(client, teacher.email, ip="10.2.2.3").status_code for _ in range(3)] == [401] * 3
    # ...while the address keeps its two failures (and the success does not count).
    for n in range(4):
        assert _token(client, f"guess{n}@example.org", ip="10.2.2.2").status_code == 401
    assert _token(client, "guess@example.org", ip="10.2.2.2").status_code == 429


def test_failures_leave_the_window(client, make_user, limits):
    limits["LOGIN_FAILURE_WINDOW_SECONDS"] = 1
    teacher = make_user("teacher")
    for _ in range(3):
        _token(client, teacher.email)
    assert _token(client, teacher.email).headers["Retry-After"] == "1"
    time.sleep(1.1)
    assert _token(client, teacher.email, "correct horse battery").status_code == 201


def test_counts_live_in_redis_shared_by_every_app_instance(
    app, client, twin_app, make_user, limits
):
    teacher = make_user("teacher")
    for _ in range(3):
        _token(client, teacher.email)
    other = twin_app(LOGIN_FAILURES_PER_ACCOUNT=3)  # e.g. another gunicorn worker
    assert _token(other.test_client(), teacher.email).status_code == 429


def test_an_attacker_elsewhere_cannot_lock_the_teacher_out(client, make_user, limits):
    teacher = make_user("teacher")
    attacker = [_token(client, teacher.email, ip="203.0.113.9").status_code for _ in range(8)]
    assert attacker == [401] * 3 + [429] * 5
    # The teacher, at school, signs in at once, by token and on the sign-in page.
    assert _token(client, teacher.email, "correct horse battery", "198.51.100.7").status_code == 201
    page = client.post("/login", environ_base={"REMOTE_ADDR": "198.51.100.7"}, data={
        "email": teacher.email, "password": "correct horse battery",
        "csrf_token": csrf_token(client)})  # fmt: skip
    assert page.status_code == 302
    assert _token(client, teacher.email, ip="203.0.113.9").status_code == 429  # still waiting


def test_the_back_off_doubles_after_each_further_failure(client, make_user, limits):
    limits["LOGIN_BACKOFF_SECONDS"] = 1
    teacher = make_user("teacher")
    assert [_token(client, teacher.email).status_code for _ in range(3)] == [401] * 3
    waits = []
    for _ in range(3):
        refused = _token(client, teacher.email)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        time.sleep(waits[-1] + 0.05)
        assert _token(client, teacher.email).status_code == 401  # one more guess, then longer
    assert waits == [1, 2, 4]


def test_deleting_my_account_checks_the_password_under_the_same_throttle(
    app, client, auth, make_user, limits
):
    teacher = make_user("teacher")
    auth.login(teacher.email)

    def delete(password):
        token = csrf_token(client, "/account/delete")
        return client.post("/account/delete", data={"password": password, "csrf_token": token})

    assert [delete(WRONG).status_code for _ in range(3)] == [422] * 3
    refused = delete("correct horse battery")
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert MESSAGE in refused.get_data(as_text=True)
    assert client.get("/api/v1/me").status_code == 200  # the account is still there
    # ...and the failures count against sign-in from this address too.
    assert _token(client, teacher.email, "correct horse battery").status_code == 429


def test_an_ipv6_host_cannot_rotate_through_its_own_network(client, make_user, limits):
    """One host holds a whole /64: every address in it counts as one."""
    teacher = make_user("teacher")
    replies = [
        _token(client, teacher.email, ip=f"2001:db8:1:2::{n:x}").status_code for n in range(4)
    ]
    assert replies == [401, 401, 401, 429]
    assert (
        _token(client, teacher.email, "correct horse battery", "2001:db8:1:3::1").status_code == 201
    )
