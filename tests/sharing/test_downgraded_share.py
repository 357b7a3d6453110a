"""A share downgraded to view-only ends its holder's right to change their notes, not to delete."""

from tests.sharing.conftest import share


def test_view_only_recipient_cannot_edit_but_may_delete_their_notes(
    client, people, make_ready_video
):
    video_id = make_ready_video(people.owner)
    owner, peer = people.headers["owner"], people.headers["peer"]
    share(client, owner, video_id, people.peer.email, permission="comment")
    notes = f"/api/v1/videos/{video_id}/annotations"
    mine = client.post(notes, json={"start_ms": 1000, "body": "Nice"}, headers=peer).get_json()
    other = client.post(notes, json={"start_ms": 2000, "body": "Two"}, headers=peer).get_json()
    assert client.patch(f"/api/v1/annotations/{mine['id']}", json={"body": "Still nice"},
                        headers=peer).status_code == 200  # fmt: skip

    share(client, owner, video_id, people.peer.email, permission="view")
    for change in ({"body": "Rewritten"}, {"start_ms": 5}, {"kind": "question"},
                   {"move_id": None}, {"private": True}):  # fmt: skip
        reply = client.patch(f"/api/v1/annotations/{mine['id']}", json=change, headers=peer)
        assert reply.status_code == 403, change
        assert "no longer comment" in reply.get_json()["error"]["message"]
    listed = client.get(notes, headers=owner).get_json()["annotations"]
    assert [(n["body"], n["start_ms"], n["private"]) for n in listed] == [
        ("Still nice", 1000, False), ("Two", 2000, False)]  # fmt: skip
    # Taking back one's own words stays allowed.
    assert client.delete(f"/api/v1/annotations/{other['id']}", headers=peer).status_code == 204
