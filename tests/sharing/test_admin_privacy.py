"""Admins run the program but see no teacher's recording or notes unless it is shared."""

from datetime import datetime

from tests.sharing.conftest import share


def test_admin_sees_nothing_of_an_unshared_video_until_it_is_shared(
    client, people, make_ready_video
):
    video_id = make_ready_video(people.owner)
    client.post(
        f"/api/v1/videos/{video_id}/annotations",
        headers=people.headers["owner"],
        json={"start_ms": 0, "body": "My own reflection"},
    )
    admin = people.headers["admin"]
    paths = [
        f"/videos/{video_id}",
        f"/videos/{video_id}/media/poster.jpg",
        f"/videos/{video_id}/original",
        f"/api/v1/videos/{video_id}",
        f"/api/v1/videos/{video_id}/annotations",
        f"/api/v1/videos/{video_id}/annotations.vtt",
        f"/api/v1/videos/{video_id}/annotations.csv",
        f"/api/v1/videos/{video_id}/audit",
        f"/api/v1/videos/{video_id}/shares",
    ]
    for path in paths:
        reply = client.get(path, headers=admin)
        assert reply.status_code == 404, path
        assert b"reflection" not in reply.data and b"Fractions" not in reply.data, path
    assert client.get("/api/v1/videos", headers=admin).get_json() == {
        "videos": [],
        "next_cursor": None,
    }
    for path in ("/admin/", "/admin/people", "/videos"):
        body = client.get(path, headers=admin).get_data(as_text=True)
        assert "Fractions lesson" not in body and "reflection" not in body, path

    share(client, people.headers["owner"], video_id, people.admin.email)
    assert client.get(f"/videos/{video_id}", headers=admin).status_code == 200
    notes = client.get(f"/api/v1/videos/{video_id}/annotations", headers=admin).get_json()
    assert [n["body"] for n in notes["annotations"]] == ["My own reflection"]
    assert client.get(f"/videos/{video_id}/original", headers=admin).status_code == 403


def test_program_overview_is_of_the_admins_school_without_content(
    app, client, auth, people, make_ready_video, make_user, pair_users
):
    from webapp import db
    from webapp.video.models import Video

    first = make_ready_video(people.owner, title="Secret title one")
    second = make_ready_video(people.owner, title="Secret title two")
    other_school = make_user("teacher", school="North School")
    third = make_ready_video(other_school, title="Secret title three")
    with app.app_context():
        db.session().get(Video, third).created_at = datetime(2026, 3, 5)
        db.session().commit()

    def note(video_id, role, body="Secret note", **extra):
        reply = client.post(
            f"/api/v1/videos/{video_id}/annotations",
            headers=people.headers[role],
            json={"start_ms": 0, "body": body, **extra},
        )
        assert reply.status_code == 201, reply.get_json()

    note(first, "owner")
    note(first, "coach")  # both sides: a debrief
    note(second, "owner")
    note(second, "coach", private=True)  # the coach's private prep does not make a debrief
    share(client, people.headers["owner"], second, people.peer.email, permission="comment")
    note(second, "peer")  # a peer teacher is not a coach
    client.post(
        "/api/v1/cycles",
        headers=people.headers["coach"],
        json={"teacher_id": people.owner.id, "title": "Secret cycle"},
    )

    auth.login(people.admin.email)
    # The figures themselves, and the rule that withholds these (from one teacher), are tested
    # in tests/program; here: an admin's view is of their school, and carries no content.
    for answer in (client.get("/admin/"), client.get("/admin/program.csv")):
        text = answer.get_data(as_text=True)
        assert "Test School" in text and "North School" not in text
        for secret in ("Secret", "Olive Owner", "Cora Coach", "Pete Peer"):
            assert secret not in text
