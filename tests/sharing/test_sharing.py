"""Sharing a video: who it grants what, until when, and revocation on the very next request."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from tests.conftest import csrf_token
from tests.sharing.conftest import share


def _sees(client, headers, video_id) -> dict:
    """What one person gets from the page, the media gateway and the API, right now."""
    return {
        "page": client.get(f"/videos/{video_id}", headers=headers).status_code,
        "media": client.get(f"/videos/{video_id}/media/poster.jpg", headers=headers).status_code,
        "api": client.get(f"/api/v1/videos/{video_id}", headers=headers).status_code,
    }


ALLOWED = {"page": 200, "media": 302, "api": 200}
HIDDEN = {"page": 404, "media": 404, "api": 404}


def _listed(client, headers) -> list[int]:
    return [v["id"] for v in client.get("/api/v1/videos", headers=headers).get_json()["videos"]]


def test_private_by_default_then_shared_then_revoked_on_the_next_request(
    client, people, make_ready_video
):
    video_id = make_ready_video(people.owner)
    peer = people.headers["peer"]
    assert _sees(client, peer, video_id) == HIDDEN
    assert _sees(client, people.headers["coach"], video_id) == ALLOWED
    assert video_id not in _listed(client, peer)

    created = share(client, people.headers["owner"], video_id, people.peer.email)
    assert created.status_code == 201
    body = created.get_json()
    assert body["user"]["name"] == "Pete Peer" and body["permission"] == "view"
    assert body["active"] is True and body["expires_at"] is None
    assert _sees(client, peer, video_id) == ALLOWED
    assert video_id in _listed(client, peer)
    # Media URLs handed out before a revoke stay usable for ten minutes at most.
    media = client.get(f"/videos/{video_id}/media/poster.jpg", headers=peer)
    assert "X-Amz-Expires=600&" in media.location
    page = client.get("/videos", headers=peer).get_data(as_text=True)
    assert "Fractions lesson" in page and "Olive Owner" in page

    revoked = client.delete(
        f"/api/v1/videos/{video_id}/shares/{body['id']}", headers=people.headers["owner"]
    )
    assert revoked.status_code == 204
    assert _sees(client, peer, video_id) == HIDDEN
    assert video_id not in _listed(client, peer)
    again = client.delete(
        f"/api/v1/videos/{video_id}/shares/{body['id']}", headers=people.headers["owner"]
    )
    assert again.status_code == 404


def test_revoking_from_the_page_ends_a_signed_in_session_too(
    app, client, auth, people, make_ready_video
):
    video_id = make_ready_video(people.owner)
    share_id = share(client, people.headers["owner"], video_id, people.peer.email).get_json()["id"]
    peer = app.test_client()
    token = csrf_token(peer)
    peer.post(
        "/login",
        data={"email": people.peer.email, "password": "correct horse battery", "csrf_token": token},
    )
    assert peer.get(f"/videos/{video_id}").status_code == 200

    auth.login(people.owner.email)
    page = client.get(f"/videos/{video_id}").get_data(as_text=True)
    assert "Pete Peer" in page and "Who has seen my video" in page
    reply = client.post(
        f"/videos/{video_id}/shares/{share_id}/revoke",
        data={"csrf_token": csrf_token(client, f"/videos/{video_id}")},
    )
    assert reply.status_code == 302
    assert peer.get(f"/videos/{video_id}").status_code == 404
    assert peer.get(f"/videos/{video_id}/media/poster.jpg").status_code == 404
    assert peer.get(f"/api/v1/videos/{video_id}").status_code == 404


def test_share_form_on_the_page(client, auth, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    auth.login(people.owner.email)
    token = csrf_token(client, f"/videos/{video_id}")
    form = {
        "email": people.peer.email.upper(),
        "permission": "comment",
        "expires_at": "2099-01-31",
        "csrf_token": token,
    }
    reply = client.post(f"/videos/{video_id}/shares", data=form, follow_redirects=True)
    page = reply.get_data(as_text=True)
    assert "Pete Peer can now watch and comment on this video." in page
    assert "the end of 31 Jan 2099 (UTC)" in page
    bad = client.post(
        f"/videos/{video_id}/shares",
        data={"email": "nobody@example.org", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Nobody at Test School has an active account with this email." in bad.get_data(
        as_text=True
    )


def test_expiry_ends_access_without_any_action(app, client, people, make_ready_video):
    from webapp import db
    from webapp.db import utcnow
    from webapp.sharing.models import Share

    video_id = make_ready_video(people.owner)
    body = share(
        client,
        people.headers["owner"],
        video_id,
        people.peer.email,
        expires_at="2099-06-01T12:00:00+02:00",
    ).get_json()
    assert body["expires_at"] == "2099-06-01T10:00:00.000000Z"
    assert _sees(client, people.headers["peer"], video_id) == ALLOWED
    with app.app_context():
        db.session().execute(update(Share).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session().commit()
    assert _sees(client, people.headers["peer"], video_id) == HIDDEN
    assert video_id not in _listed(client, people.headers["peer"])
    listed = client.get(f"/api/v1/videos/{video_id}/shares", headers=people.headers["owner"])
    assert [s["active"] for s in listed.get_json()["shares"]] == [False]


def test_sharing_again_replaces_the_terms(client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    first = share(client, owner, video_id, people.peer.email).get_json()
    second = share(client, owner, video_id, people.peer.email, permission="comment").get_json()
    assert first["id"] == second["id"] and second["permission"] == "comment"
    shares = client.get(f"/api/v1/videos/{video_id}/shares", headers=owner).get_json()["shares"]
    assert len(shares) == 1


def test_share_validation(client, people, make_ready_video, make_user):
    video_id = make_ready_video(people.owner)
    owner = people.headers["owner"]
    gone = make_user("teacher")
    cases = [
        ({"email": "nobody@example.org"}, "email"),
        ({"email": people.owner.email}, "email"),
        ({"email": people.peer.email, "permission": "edit"}, "permission"),
        ({"email": people.peer.email, "expires_at": "2001-01-01"}, "expires_at"),
        ({"email": people.peer.email, "expires_at": "next week"}, "expires_at"),
        ({"email": people.peer.email, "expires_at": "9999-12-31"}, "expires_at"),
        ({"email": people.peer.email, "expires_at": 20991231}, "expires_at"),
    ]
    for body, field in cases:
        reply = client.post(f"/api/v1/videos/{video_id}/shares", json=body, headers=owner)
        assert reply.status_code == 422, body
        assert field in reply.get_json()["error"]["fields"], body
    from webapp import db
    from webapp.auth.models import User

    with client.application.app_context():
        db.session().get(User, gone.id).active = False
        db.session().commit()
    assert share(client, owner, video_id, gone.email).status_code == 422
    assert client.get(f"/api/v1/videos/{video_id}/shares", headers=owner).get_json() == {
        "shares": []
    }


def test_only_the_owner_manages_shares(client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    share_id = share(client, people.headers["owner"], video_id, people.peer.email).get_json()["id"]
    base = f"/api/v1/videos/{video_id}/shares"
    for role, status in (("coach", 403), ("peer", 403), ("stranger", 404), ("admin", 404)):
        headers = people.headers[role]
        assert client.get(base, headers=headers).status_code == status, role
        reply = share(client, headers, video_id, people.stranger.email)
        assert reply.status_code == status, role
        assert client.delete(f"{base}/{share_id}", headers=headers).status_code == status, role
    assert client.get(base).status_code == 401
    assert _sees(client, people.headers["stranger"], video_id) == HIDDEN


def test_original_download_is_for_the_owner_only(client, people, make_ready_video, app):
    from webapp import db
    from webapp.db import utcnow
    from webapp.video.models import Video

    video_id = make_ready_video(people.owner)
    with app.app_context():
        db.session().get(Video, video_id).uploaded_at = utcnow()
        db.session().commit()
    share(client, people.headers["owner"], video_id, people.peer.email, permission="comment")
    original = f"/videos/{video_id}/original"
    assert client.get(original, headers=people.headers["owner"]).status_code == 302
    assert client.get(original, headers=people.headers["peer"]).status_code == 403
    assert client.get(original, headers=people.headers["coach"]).status_code == 403
    assert client.get(original, headers=people.headers["admin"]).status_code == 404


def test_view_share_reads_but_comment_share_writes_notes(client, people, make_ready_video):
    video_id = make_ready_video(people.owner)
    notes = f"/api/v1/videos/{video_id}/annotations"
    note = {"start_ms": 1000, "body": "Nice wait time"}
    owner_note = client.post(notes, json=note, headers=people.headers["owner"]).get_json()
    private = client.post(
        notes, json={**note, "body": "only me", "private": True}, headers=people.headers["owner"]
    )
    assert private.status_code == 201
    peer = people.headers["peer"]
    assert client.get(notes, headers=peer).status_code == 404

    share(client, people.headers["owner"], video_id, people.peer.email)
    bodies = [a["body"] for a in client.get(notes, headers=peer).get_json()["annotations"]]
    assert bodies == ["Nice wait time"]
    assert client.post(notes, json=note, headers=peer).status_code == 403
    reply = {"start_ms": 1000, "body": "Agreed", "parent_id": owner_note["id"]}
    assert client.post(notes, json=reply, headers=peer).status_code == 403
    page = client.get(f"/videos/{video_id}", headers=peer).get_data(as_text=True)
    assert "shared this video with you to watch." in page

    share(client, people.headers["owner"], video_id, people.peer.email, permission="comment")
    assert client.post(notes, json=note, headers=peer).status_code == 201
    assert client.post(notes, json=reply, headers=peer).status_code == 201
    assert client.get(f"{notes}.csv", headers=peer).status_code == 200


def test_service_functions_for_other_callers(app, people, make_ready_video):
    """share() and revoke() as the authorization-matrix test calls them, outside any request."""
    from webapp import access, db
    from webapp.errors import Forbidden
    from webapp.sharing import services
    from webapp.video.models import Video

    video_id = make_ready_video(people.owner)
    with app.app_context():
        video = db.session().get(Video, video_id)
        created = services.share(video, people.owner, email=people.peer.email)
        db.session().commit()
        assert created.permission == "view" and access.can_view_video(people.peer, video)
        assert not access.can_comment(people.peer, video)
        with pytest.raises(Forbidden):
            services.share(video, people.coach, email=people.stranger.email)
        services.revoke(created)
        db.session().commit()
        assert not access.can_view_video(people.peer, video)


def test_lists_say_how_a_video_is_shared_with_me(client, auth, people, make_ready_video):
    video_id = make_ready_video(people.owner, title="Shared fractions")
    assert share(client, people.headers["owner"], video_id, people.peer.email).status_code == 201
    auth.login(people.peer.email)
    for path in ("/videos", "/"):
        page = client.get(path).get_data(as_text=True)
        assert "Shared fractions" in page and "Shared with you · view only" in page
    share(client, people.headers["owner"], video_id, people.peer.email, permission="comment")
    assert "Shared with you · can comment" in client.get("/videos").get_data(as_text=True)
    auth.login(people.coach.email)  # the paired coach sees it through coaching, not a share
    page = client.get("/videos").get_data(as_text=True)
    assert "Shared fractions" in page and "Shared with you" not in page
