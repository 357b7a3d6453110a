"""After sign-in, `next` leads only to a path of this site: anything else is refused, not fixed."""

import pytest

from tests.conftest import csrf_token

BAD_NEXT = [
    "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "https://evil.example/",
    "http:evil.example", "evil.example", " /videos", "\t/videos", "/%2F/evil.example",
    "/%5Cevil.example", "/%09/evil.example", "/videos\x00", "/videos\x7f", "/\u202e/x",
    "javascript:alert(1)", "///evil.example", "/videos\r\nSet-Cookie: a=b",
]  # fmt: skip


@pytest.mark.parametrize("target", BAD_NEXT)
def test_bad_next_values_are_refused_before_the_password(client, make_user, target):
    teacher = make_user("teacher")
    data = {"email": teacher.email, "password": "correct horse battery",
            "csrf_token": csrf_token(client), "next": target}  # fmt: skip
    reply = client.post("/login", data=data)
    assert reply.status_code == 400, (target, reply.location)
    assert "not on this site" in reply.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in
    assert client.get("/login", query_string={"next": target}).status_code == 400


def test_the_reported_tab_trick_is_refused(client):
    reply = client.get("/login?next=/%09/evil.example")
    assert reply.status_code == 400 and "evil.example" not in (reply.location or "")


@pytest.mark.parametrize("target", ["/cycles", "/videos/3?tab=notes#t=1000", "/videos?q=a%2Fb"])
def test_a_good_next_still_works(client, make_user, target):
    teacher = make_user("teacher")
    data = {"email": teacher.email, "password": "correct horse battery",
            "csrf_token": csrf_token(client), "next": target}  # fmt: skip
    reply = client.post("/login", data=data)
    assert reply.status_code == 302 and reply.location == target
