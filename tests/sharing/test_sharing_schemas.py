"""The sharing and audit API check their bodies and query strictly; answers keep their shape."""

import re

import pytest

from tests.sharing.conftest import share

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


@pytest.fixture(params=["sqlite"])
def backend(request):
    """What is tested is validation and shapes, not the database."""
    return request.param


def _fields(reply) -> dict:
    assert reply.status_code == 422, reply.get_json()
    return reply.get_json()["error"]["fields"]


@pytest.mark.parametrize("extra,field", [
    ({"email": ["someone@example.org"]}, "email"), ({"email": 12}, "email"),
    ({"permission": "edit"}, "permission"), ({"permission": "VIEW"}, "permission"),
    ({"permission": None}, "permission"), ({"expires_at": True}, "expires_at"),
    ({"expires_at": 20991231}, "expires_at"), ({"expires_at": "31/12/2099"}, "expires_at"),
    ({"expires_at": "2099-02-30"}, "expires_at"), ({"until": "2099-01-01"}, "until"),
])  # fmt: skip
def test_share_body_is_strict(client, people, make_ready_video, extra, field):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    body = {"email": people.peer.email, **extra}
    reply = client.post(f"/api/v1/videos/{video_id}/shares", json=body, headers=owner)
    assert field in _fields(reply)
    assert client.get(f"/api/v1/videos/{video_id}/shares", headers=owner).get_json() == {
        "shares": []
    }


@pytest.mark.parametrize("expires_at,stored", [
    ("2099-01-31", "2099-02-01T00:00:00.000000Z"),  # a date: through that day
    ("2099-01-31T15:30:00Z", "2099-01-31T15:30:00.000000Z"),
    ("2099-01-31T15:30:00.250+01:00", "2099-01-31T14:30:00.250000Z"),
    (None, None),
])  # fmt: skip
def test_an_end_is_a_date_or_a_time(client, people, make_ready_video, expires_at, stored):
    video_id = make_ready_video(people.owner)
    reply = share(client, people.headers["owner"], video_id, people.peer.email,
                  expires_at=expires_at)  # fmt: skip
    assert reply.status_code == 201, reply.get_json()
    assert reply.get_json()["expires_at"] == stored


def test_share_answer_keeps_its_keys(client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    body = share(client, owner, video_id, people.peer.email, permission="comment").get_json()
    assert set(body) == {"id", "video_id", "user", "email", "permission", "expires_at",
                         "created_at", "revoked_at", "active"}  # fmt: skip
    assert body["user"] == {"id": people.peer.id, "name": "Pete Peer", "role": "teacher"}
    assert body["email"] == people.peer.email and body["video_id"] == video_id
    assert STAMP.fullmatch(body["created_at"]) and body["revoked_at"] is None
    client.delete(f"/api/v1/videos/{video_id}/shares/{body['id']}", headers=owner)
    [ended] = client.get(f"/api/v1/videos/{video_id}/shares", headers=owner).get_json()["shares"]
    assert ended["active"] is False and STAMP.fullmatch(ended["revoked_at"])


@pytest.mark.parametrize("page", ["two", "1.5", "-1", "0", "²"])
def test_audit_page_must_be_a_page_number(client, people, make_ready_video, page):
    video_id = make_ready_video(people.owner)
    reply = client.get(
        f"/api/v1/videos/{video_id}/audit?page={page}", headers=people.headers["owner"]
    )
    assert "page" in _fields(reply)


def test_audit_events_keep_their_shape(client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    share(client, owner, video_id, people.peer.email, expires_at="2099-01-31")
    reply = client.get(f"/api/v1/videos/{video_id}/audit?page=1", headers=owner).get_json()
    [event] = reply["events"]
    assert set(event) == {"id", "action", "created_at", "actor", "subject", "video_id", "detail"}
    assert event["actor"] == {"id": people.owner.id, "name": "Olive Owner", "role": "teacher"}
    assert event["subject"]["id"] == people.peer.id and STAMP.fullmatch(event["created_at"])
    assert event["detail"] == {
        "title": "Fractions lesson",
        "share_id": event["detail"]["share_id"],
        "permission": "view",
        "expires_at": "2099-02-01T00:00:00.000000Z",
    }
    assert reply["next_page"] is None
    later = client.get(f"/api/v1/videos/{video_id}/audit?page=2", headers=owner).get_json()
    assert later == {"events": [], "next_page": None}


def test_the_share_form_reads_its_text_like_the_api(client, auth, people, make_ready_video):
    from tests.conftest import csrf_token

    video_id = make_ready_video(people.owner)
    auth.login(people.owner.email)
    token = csrf_token(client, f"/videos/{video_id}")
    form = {"email": people.peer.email, "expires_at": "someday", "csrf_token": token}
    page = client.post(f"/videos/{video_id}/shares", data=form, follow_redirects=True)
    assert "Use a date like 2026-09-01" in page.get_data(as_text=True)
    form["expires_at"] = "2099-03-01T09:00:00Z"
    page = client.post(f"/videos/{video_id}/shares", data=form, follow_redirects=True)
    assert "01 Mar 2099 09:00 UTC" in page.get_data(as_text=True)
