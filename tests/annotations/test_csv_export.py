"""The CSV export: links from BASE_URL, "only me" notes kept out of a sheet, no formulas."""

import csv
import io

import pytest

from webapp.annotations.exports import _cell


def _csv(client, s, headers, query=""):
    reply = client.get(f"/api/v1/videos/{s.video_id}/annotations.csv{query}", headers=headers)
    assert reply.status_code == 200
    return list(csv.DictReader(io.StringIO(reply.get_data(as_text=True))))


def _post(client, s, headers, **body):
    body = {"start_ms": 1000, "body": "note", **body}
    reply = client.post(f"/api/v1/videos/{s.video_id}/annotations", json=body, headers=headers)
    assert reply.status_code == 201
    return reply.get_json()


def test_links_use_base_url_not_the_host_header(app, client, setup):
    _post(client, setup, setup.coach_h, start_ms=4200)
    rows = _csv(client, setup, {**setup.coach_h, "Host": "evil.example"})
    assert rows[0]["link"] == f"http://127.0.0.1:5000/videos/{setup.video_id}#t=4200"
    app.config["BASE_URL"] = "https://debrief.school.org"
    rows = _csv(client, setup, {**setup.coach_h, "X-Forwarded-Host": "evil.example"})
    assert rows[0]["link"].startswith("https://debrief.school.org/videos/")


def test_only_me_notes_stay_out_of_the_sheet_unless_asked_for(client, setup):
    s = setup
    _post(client, s, s.coach_h, body="shared")
    private = _post(client, s, s.coach_h, body="my preparation", private=True)
    _post(client, s, s.coach_h, parent_id=private["id"], body="private reply")
    assert [r["body"] for r in _csv(client, s, s.coach_h)] == ["shared"]
    rows = _csv(client, s, s.coach_h, "?private=1")
    assert [(r["body"], r["private"]) for r in rows] == [
        ("shared", "no"), ("my preparation", "yes"), ("private reply", "yes")]  # fmt: skip
    # Nobody else's sheet ever holds them, even when asking.
    assert [r["body"] for r in _csv(client, s, s.teacher_h, "?private=1")] == ["shared"]


@pytest.mark.parametrize("text", [
    "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1", " =1", "\u3000=1", "\u00a0=1",
    "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)", "\ufe661", "\ufe621", "\ufe631",
    "\ufe6bSUM(A1)", "\u22121",
])  # fmt: skip
def test_formula_starters_and_look_alikes_are_neutralised(text):
    assert _cell(text) == "'" + text


def test_ordinary_text_is_left_alone():
    assert [_cell(v) for v in ("Nice wait time", "1 + 1", "3", "", None, "a=b")] == [
        "Nice wait time", "1 + 1", "3", "", "", "a=b"]  # fmt: skip


def test_a_look_alike_note_is_neutralised_in_the_export(client, setup):
    _post(client, setup, setup.coach_h, body='\uff1dHYPERLINK("http://evil.example")')
    assert _csv(client, setup, setup.coach_h)[0]["body"].startswith("'\uff1d")


def test_production_requires_a_base_url_and_development_has_one():
    from webapp import config

    production = config.load_settings({"DEBRIEF_ENV": "production", "SECRET_KEY": "k" * 40,
                                       "S3_ACCESS_KEY_ID": "own-key",
                                       "S3_SECRET_ACCESS_KEY": "own-secret-key"})  # fmt: skip
    with pytest.raises(ValueError, match="BASE_URL"):
        config.validate(production)
    for bad in ("debrief.school.org", "ftp://x.org", "https://x.org/app?a=1"):
        with pytest.raises(ValueError, match="BASE_URL"):
            config.validate(config.load_settings({"BASE_URL": bad, "SECRET_KEY": "k" * 40}))
    assert config.load_settings({})["BASE_URL"] == "http://127.0.0.1:5000"
