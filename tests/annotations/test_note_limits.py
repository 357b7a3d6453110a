"""Notes are bounded per video and per person per minute, and their list pages with a cursor."""

import time

import pytest


def _notes(s):
    return f"/api/v1/videos/{s.video_id}/annotations"


def _add(client, s, headers, n=0):
    return client.post(_notes(s), headers=headers, json={"start_ms": n, "body": f"note {n}"})


def test_a_video_holds_at_most_its_cap_of_notes(app, client, setup):
    s = setup
    app.config["MAX_NOTES_PER_VIDEO"] = 3
    first = _add(client, s, s.coach_h).get_json()
    assert _add(client, s, s.teacher_h, 1).status_code == 201
    client.post(_notes(s), headers=s.teacher_h, json={"parent_id": first["id"], "body": "re"})
    full = _add(client, s, s.coach_h, 2)  # replies count too
    assert full.status_code == 429 and full.get_json()["error"]["code"] == "rate_limited"
    assert "3 notes" in full.get_json()["error"]["message"]
    client.delete(f"/api/v1/annotations/{first['id']}", headers=s.coach_h)  # and its reply
    assert _add(client, s, s.coach_h, 3).status_code == 201


def test_a_person_adds_at_most_so_many_notes_a_minute(app, client, setup):
    s = setup
    app.config["NOTES_PER_MINUTE"] = 4
    if time.time() % 60 > 50:  # the count is per clock minute: start well inside one
        time.sleep(61 - time.time() % 60)
    codes = [_add(client, s, s.coach_h, n).status_code for n in range(5)]
    assert codes == [201] * 4 + [429]
    refused = _add(client, s, s.coach_h)
    assert "in the last minute" in refused.get_json()["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert _add(client, s, s.teacher_h).status_code == 201  # someone else is not slowed down


@pytest.mark.parametrize("since", [False, True])
def test_the_list_pages_with_a_cursor(client, setup, since):
    s = setup
    ids = [_add(client, s, s.coach_h, n % 3 * 1000).get_json()["id"] for n in range(7)]
    query = {"limit": 3}
    if since:
        query["since"] = "2000-01-01T00:00:00"
    seen, pages = [], 0
    while True:
        page = client.get(_notes(s), query_string=query, headers=s.teacher_h).get_json()
        assert len(page["annotations"]) <= 3
        seen += [n["id"] for n in page["annotations"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        query["cursor"] = page["next_cursor"]
    whole = client.get(_notes(s), headers=s.teacher_h).get_json()
    assert whole["next_cursor"] is None
    assert seen == [n["id"] for n in whole["annotations"]] and sorted(seen) == ids
    assert pages == 3


@pytest.mark.parametrize("query", [{"cursor": "abc"}, {"cursor": "1.²"}, {"limit": "ten"},
                                   {"limit": "²"}, {"cursor": "9" * 40}])  # fmt: skip
def test_bad_cursors_and_limits_are_refused(client, setup, query):
    reply = client.get(_notes(setup), query_string=query, headers=setup.teacher_h)
    assert reply.status_code == 422, query
    assert set(reply.get_json()["error"]["fields"]) & {"cursor", "limit"}
