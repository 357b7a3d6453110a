"""Deleting a video or an account leaves nothing behind, in storage or the database, but audit."""

from sqlalchemy import func, select

from tests.conftest import csrf_token
from tests.sharing.conftest import audit_rows, share
from tests.video.conftest import run_jobs, sample_mp4, upload_via_api  # noqa: F401


def _leftovers(app, video_ids, prefixes) -> dict:
    """Every row and stored object that still refers to the given videos."""
    from webapp import db
    from webapp.annotations.models import Annotation, AnnotationRead
    from webapp.sharing.models import Share
    from webapp.video.models import Video
    from webapp.video.storage import storage

    found = {}
    with app.app_context():
        session = db.session()
        for model, column in (
            (Video, Video.id),
            (Share, Share.video_id),
            (Annotation, Annotation.video_id),
            (AnnotationRead, AnnotationRead.video_id),
        ):
            count = session.scalar(select(func.count()).where(column.in_(video_ids)))
            if count:
                found[model.__name__] = count
        keys = [key for prefix in prefixes for key in storage().list_keys(prefix)]
        uploads = [u.key for u in storage().pending_uploads() if u.key.startswith(tuple(prefixes))]
    if keys:
        found["objects"] = keys
    if uploads:
        found["multipart_uploads"] = uploads
    return found


def _processed(app, client, headers, path, title):
    video_id = upload_via_api(client, headers, path, title=title)
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=headers).get_json()
    assert video["status"] == "ready", video["error"]
    return video_id


def _prefix(app, video_id) -> str:
    from webapp import db
    from webapp.video.models import Video

    with app.app_context():
        return db.session().get(Video, video_id).prefix


def _converse(client, people, video_id):
    """Notes from both sides, a share, views and read markers: everything a video collects."""
    notes = f"/api/v1/videos/{video_id}/annotations"
    first = client.post(
        notes, json={"start_ms": 500, "body": "Look here"}, headers=people.headers["coach"]
    ).get_json()
    client.post(
        notes,
        json={"start_ms": 500, "body": "Thanks", "parent_id": first["id"]},
        headers=people.headers["owner"],
    )
    share(client, people.headers["owner"], video_id, people.peer.email)
    for role in ("coach", "peer"):
        assert client.get(f"/videos/{video_id}", headers=people.headers[role]).status_code == 200


def test_deleting_a_video_removes_every_object_and_row(app, client, auth, people, sample_mp4):  # noqa: F811
    owner = people.headers["owner"]
    video_id = _processed(app, client, owner, sample_mp4, "Delete me")
    prefix = _prefix(app, video_id)
    _converse(client, people, video_id)
    before = _leftovers(app, [video_id], [prefix])
    assert before["Share"] == 1 and before["Annotation"] == 2 and len(before["objects"]) > 5

    auth.login(people.owner.email)
    token = csrf_token(client, f"/videos/{video_id}")
    reply = client.post(f"/videos/{video_id}/delete", data={"csrf_token": token})
    assert reply.status_code == 302
    assert _leftovers(app, [video_id], [prefix]) == {}
    assert client.get(f"/api/v1/videos/{video_id}", headers=owner).status_code == 404

    kept = audit_rows(app, video_id=video_id)
    assert [e["action"] for e in kept][-1] == "video.deleted"
    assert kept[-1]["detail"]["title"] == "Delete me" and kept[-1]["detail"]["reason"] == "owner"
    assert {e["action"] for e in kept} == {"share.created", "video.viewed", "video.deleted"}


def test_deleting_my_account_removes_all_my_videos(app, client, auth, people, sample_mp4):  # noqa: F811
    owner = people.headers["owner"]
    ready_id = _processed(app, client, owner, sample_mp4, "Ready one")
    half = client.post(
        "/api/v1/videos",
        headers=owner,
        json={
            "title": "Half uploaded",
            "filename": "b.mp4",
            "size_bytes": 10,
            "content_type": "video/mp4",
        },
    )
    half_id = half.get_json()["id"]
    prefixes = [_prefix(app, ready_id), _prefix(app, half_id)]
    _converse(client, people, ready_id)
    peer_video = _processed(app, client, people.headers["peer"], sample_mp4, "Peer's")
    share(client, people.headers["peer"], peer_video, people.owner.email, permission="comment")
    written = client.post(
        f"/api/v1/videos/{peer_video}/annotations",
        headers=owner,
        json={"start_ms": 0, "body": "Written by the owner"},
    )
    assert written.status_code == 201
    assert _leftovers(app, [ready_id, half_id], prefixes)["multipart_uploads"]

    auth.login(people.owner.email)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "2 recordings" in page and "2 notes and replies" in page
    token = csrf_token(client, "/account/delete")
    wrong = client.post("/account/delete", data={"csrf_token": token, "password": "nope"})
    assert wrong.status_code == 422 and "That password is not right." in wrong.get_data(
        as_text=True
    )
    assert client.get(f"/videos/{ready_id}").status_code == 200

    done = client.post(
        "/account/delete", data={"csrf_token": token, "password": "correct horse battery"}
    )
    assert done.status_code == 302 and "/login" in done.location
    assert _leftovers(app, [ready_id, half_id], prefixes) == {}
    assert client.get("/videos").status_code == 302  # signed out
    assert client.get("/api/v1/me", headers=owner).status_code == 401  # tokens gone
    assert (
        client.post(
            "/api/v1/tokens",
            json={"email": people.owner.email, "password": "correct horse battery"},
        ).status_code
        == 401
    )
    notes = client.get(f"/api/v1/videos/{peer_video}/annotations", headers=people.headers["peer"])
    assert notes.get_json()["annotations"] == []
    shares = client.get(f"/api/v1/videos/{peer_video}/shares", headers=people.headers["peer"])
    assert shares.get_json()["shares"] == []
    gone = audit_rows(app, action="account.deleted")
    assert gone[0]["subject"]["name"] == "Olive Owner" and gone[0]["detail"]["videos"] == 2
    reasons = {e["detail"]["reason"] for e in audit_rows(app, action="video.deleted")}
    assert reasons == {"account deleted"}


def test_admin_deletes_an_account_after_typing_its_email(app, client, auth, people, sample_mp4):  # noqa: F811
    video_id = upload_via_api(client, people.headers["peer"], sample_mp4, title="Peer lesson")
    prefix = _prefix(app, video_id)
    auth.login(people.admin.email)
    path = f"/admin/people/{people.peer.id}/delete"
    assert "1 recording," in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    wrong = client.post(path, data={"csrf_token": token, "confirm_email": "someone@else.org"})
    assert wrong.status_code == 422
    done = client.post(path, data={"csrf_token": token, "confirm_email": people.peer.email})
    assert done.status_code == 302
    assert _leftovers(app, [video_id], [prefix]) == {}
    [event] = audit_rows(app, action="account.deleted")
    assert event["actor"]["name"] == "Ada Admin" and event["subject"]["name"] == "Pete Peer"
    assert client.get(f"/admin/people/{people.admin.id}/delete").status_code == 302
    assert client.get("/api/v1/me", headers=people.headers["peer"]).status_code == 401


def test_the_last_admin_cannot_delete_their_account(client, auth, people):
    auth.login(people.admin.email)
    token = csrf_token(client, "/account/delete")
    reply = client.post(
        "/account/delete",
        data={"csrf_token": token, "password": "correct horse battery"},
        follow_redirects=True,
    )
    assert "only active admin" in reply.get_data(as_text=True)
    assert client.get("/api/v1/me", headers=people.headers["admin"]).status_code == 200


def test_only_admins_delete_other_accounts(client, auth, people):
    auth.login(people.coach.email)
    assert client.get(f"/admin/people/{people.owner.id}/delete").status_code == 403


def test_deleting_a_coach_leaves_the_teachers_cycle_and_goals(client, auth, people):
    coach_h, owner_h = people.headers["coach"], people.headers["owner"]
    cycle = client.post("/api/v1/cycles", headers=coach_h, json={
        "teacher_id": people.owner.id, "title": "Questioning", "goals": ["Ask why"]},
    ).get_json()  # fmt: skip
    auth.login(people.admin.email)
    path = f"/admin/people/{people.coach.id}/delete"
    assert "stays with the teacher, without a coach" in client.get(path).get_data(as_text=True)
    token = csrf_token(client, path)
    done = client.post(path, data={"csrf_token": token, "confirm_email": people.coach.email})
    assert done.status_code == 302
    kept = client.get(f"/api/v1/cycles/{cycle['id']}", headers=owner_h).get_json()
    assert kept["coach"] is None
    assert [g["statement"] for g in kept["goals"]] == ["Ask why"]
    auth.login(people.owner.email)
    page = client.get(f"/cycles/{cycle['id']}").get_data(as_text=True)
    assert "a coach whose account was deleted" in page
