"""Request bodies are bounded before they are read (413), whether sized or chunked.

JSON and forms get MAX_CONTENT_LENGTH; captions their own bound; only PUT …/source streams a
large body. The chunked cases run against a real server (werkzeug's, which terminates chunked
input as gunicorn does), since the test client never sends Transfer-Encoding: chunked.
"""

import json
import socket
import threading
from http.client import HTTPResponse

import pytest
from werkzeug.serving import make_server

from tests.conftest import bearer

MB = 1024 * 1024


@pytest.fixture
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()


def _raw(port, method, path, total, headers=None, chunked=False, fill=b" "):
    """Send `total` bytes (a JSON-ish filler) from a thread; return (status, headers, body).

    The sender stops quietly when the server closes the connection, as it may after a 413.
    """
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}")

    def send():
        try:
            sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
            block = fill * (64 * 1024)
            for start in range(0, total, len(block)):
                piece = block[: total - start]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: what a limit should do

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    response = HTTPResponse(sock)
    response.begin()
    body = response.read()
    sock.close()
    sender.join(timeout=30)
    return response.status, response.headers, body


def _json_error(body: bytes) -> dict:
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "fields"}
    return error


def test_an_oversized_json_body_is_refused_unread(client):
    big = b'{"email": "a@b.org", "password": "' + b"x" * (2 * MB) + b'"}'
    reply = client.post("/api/v1/tokens", data=big, content_type="application/json")
    assert reply.status_code == 413
    assert _json_error(reply.data)["code"] == "too_large"
    form = client.post("/login", data={"email": "a@b.org", "password": "x" * (2 * MB)})
    assert form.status_code == 413 and "text/html" in form.content_type
    small = client.post("/api/v1/tokens", json={"email": "a@b.org", "password": "x"})
    assert small.status_code == 401


@pytest.mark.parametrize("chunked", [False, True])
def test_a_real_server_refuses_big_token_bodies_sized_or_chunked(served, chunked):
    status, _, body = _raw(served, "POST", "/api/v1/tokens", 300 * MB, chunked=chunked,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert status == 413 and _json_error(body)["code"] == "too_large"


@pytest.mark.parametrize("chunked", [False, True])
def test_caption_uploads_stop_at_their_own_limit(client, served, make_user, make_ready_video,
                                                 chunked):  # fmt: skip
    teacher = make_user("teacher")
    headers = {**bearer(client, teacher.email), "Content-Type": "text/vtt"}
    video_id = make_ready_video(teacher)
    path = f"/api/v1/videos/{video_id}/captions?filename=c.vtt"
    status, _, body = _raw(served, "PUT", path, 50 * MB, headers, chunked=chunked, fill=b"a")
    assert status in (413, 422) and "error" in json.loads(body)
    cue = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + b"Hello " * 200_000 + b"\n"
    assert 1 * MB < len(cue) < 2 * MB  # over the JSON limit, within the captions' own
    reply = client.put(path, data=cue, headers=headers)
    assert reply.status_code == 201, reply.get_json()


@pytest.mark.parametrize("chunked", [False, True])
def test_put_source_still_streams_bodies_over_the_json_limit(client, served, make_user, chunked):
    headers = bearer(client, make_user("teacher").email)
    size = 5 * MB
    created = client.post("/api/v1/videos", headers=headers, json={
        "title": "Lesson", "filename": "l.mp4", "size_bytes": size, "content_type": "video/mp4"},
    ).get_json()  # fmt: skip
    status, _, body = _raw(served, "PUT", f"/api/v1/videos/{created['id']}/source", size,
                           {**headers, "Content-Type": "video/mp4"}, chunked=chunked)  # fmt: skip
    assert status == 202, body
    assert json.loads(body)["status"] == "queued"
