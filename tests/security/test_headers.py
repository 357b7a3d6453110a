"""Response headers, cookie flags in production, and media that no browser can run as a page."""

import io

import pytest

from tests.conftest import bearer
from webapp import config


def test_pages_get_a_strict_policy(client):
    reply = client.get("/login")
    csp = reply.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert reply.headers["X-Frame-Options"] == "DENY"
    assert reply.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in reply.headers  # development runs on plain HTTP


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/api/v1/me", "/static/favicon.svg"])
def test_everything_else_is_sandboxed_data(client, path):
    reply = client.get(path)
    reply.close()
    csp = reply.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "sandbox" in csp and "frame-ancestors 'none'" in csp
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_production_settings_secure_the_cookies():
    settings = config.load_settings({"DEBRIEF_ENV": "production", "SECRET_KEY": "k" * 40})
    assert settings["SESSION_COOKIE_SECURE"] and settings["REMEMBER_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["REMEMBER_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == settings["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_production_cookies_are_sent_with_every_flag(twin_app, make_user):
    teacher = make_user("teacher")
    client = twin_app(DEBRIEF_ENV="production", BASE_URL="https://debrief.example").test_client()
    page = client.get("/login")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    token = page.get_data(as_text=True).split('name="csrf-token" content="')[1].split('"')[0]
    reply = client.post("/login", data={"email": teacher.email, "remember": "1",
                        "password": "correct horse battery", "csrf_token": token})  # fmt: skip
    cookies = {c.split("=")[0]: c for c in reply.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        flags = cookies[name].lower()
        assert "; secure" in flags and "; httponly" in flags and "samesite=lax" in flags, flags


def test_behind_a_trusted_proxy_the_client_address_is_forwarded(twin_app, make_user):
    """Rate limits count real clients, not the proxy, when the app is told a proxy is there."""
    teacher = make_user("teacher")
    proxied = twin_app(TRUSTED_PROXY_HOPS=1, LOGIN_FAILURES_PER_IP=2).test_client()
    wrong = {"email": "x@example.org", "password": "wrong password!!"}
    for _ in range(2):
        proxied.post("/api/v1/tokens", json=wrong, headers={"X-Forwarded-For": "203.0.113.9"})
    body = {"email": teacher.email, "password": "correct horse battery"}
    limited = proxied.post("/api/v1/tokens", json=body, headers={"X-Forwarded-For": "203.0.113.9"})
    assert limited.status_code == 429
    other = proxied.post("/api/v1/tokens", json=body, headers={"X-Forwarded-For": "203.0.113.10"})
    assert other.status_code == 201


def test_media_gateway_serves_text_sandboxed_and_redirects_media(
    app, client, make_user, make_ready_video
):
    from webapp import db
    from webapp.video.models import Video
    from webapp.video.storage import storage

    teacher = make_user("teacher")
    headers = bearer(client, teacher.email)
    video_id = make_ready_video(teacher)
    with app.app_context():
        video = db.session().get(Video, video_id)
        video.output_prefix = f"videos/{video.uuid}/"
        db.session().commit()
        store = storage()
        for name, data in (("hls/master.m3u8", b"#EXTM3U\n<script>x</script>"),
                           ("poster.jpg", b"<html><script>alert(1)</script>")):  # fmt: skip
            store.put_stream(video.output_prefix + name, io.BytesIO(data), "text/html")
    base = f"/videos/{video_id}/media/"
    playlist = client.get(base + "hls/master.m3u8", headers=headers)
    assert playlist.status_code == 200
    assert playlist.mimetype == "application/vnd.apple.mpegurl"
    assert playlist.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in playlist.headers["Content-Security-Policy"]
    poster = client.get(base + "poster.jpg", headers=headers)
    assert poster.status_code == 302  # bytes come from the store's origin, never from ours
    assert "response-content-type=image%2Fjpeg" in poster.location
