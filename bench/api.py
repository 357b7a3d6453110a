"""The real app in-process, a signed-in teacher, and the browser's presigned multipart upload."""

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import requests
from flask import Flask

from bench.services import Services
from webapp import create_app, db

EMAIL = "bench.teacher@example.org"
COLLEAGUE = "bench.colleague@example.org"
PASSWORD = "correct horse battery"
IN_FLIGHT = 4  # parts uploading at once, as the browser uploader does


@dataclass(frozen=True)
class Upload:
    """One upload through the API, with perf_counter stamps of its phases."""

    video_id: int
    started: float  # first part request begins
    parts_done: float  # every part stored
    completed: float  # POST …/upload/complete answered 202


def make_app(svc: Services) -> Flask:
    """Migrate the temp database, build the app on the private services, add the teacher."""
    settings = svc.settings()
    db.upgrade(settings["DATABASE_URL"])
    app = create_app(settings)
    from webapp.auth import services as accounts

    with app.app_context():
        school = accounts.get_or_create_school("Bench School")
        for email, name in ((EMAIL, "Bench Teacher"), (COLLEAGUE, "Bench Colleague")):
            accounts.create_user(
                email=email, name=name, role="teacher", password=PASSWORD, school=school
            )
        db.session().commit()
    return app


def video_request(path_name: str, size: int) -> dict:
    """Return the POST /api/v1/videos body announcing an upload."""
    return {"title": "Benchmark lesson", "filename": path_name, "size_bytes": size,
            "content_type": "video/mp4"}  # fmt: skip


def expect(status: int, got: int, body: object) -> None:
    """Stop the benchmark with the server's answer when a request did not do what we meant."""
    if got != status:
        raise RuntimeError(f"expected HTTP {status}, got {got}: {body}")


def bearer(client, email: str = EMAIL) -> dict[str, str]:
    """Sign in through POST /api/v1/tokens and return the Authorization header."""
    reply = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    expect(201, reply.status_code, reply.get_json())
    return {"Authorization": f"Bearer {reply.get_json()['token']}"}


def presigned_upload(client, headers: dict, path: Path) -> Upload:
    """Create the video, PUT its parts straight to S3, 4 at a time, then complete it."""
    created = client.post("/api/v1/videos", json=video_request(path.name, path.stat().st_size),
                          headers=headers)  # fmt: skip
    expect(201, created.status_code, created.get_json())
    video = created.get_json()
    started = time.perf_counter()
    parts = put_parts(path, video["upload"])
    parts_done = time.perf_counter()
    done = client.post(f"/api/v1/videos/{video['id']}/upload/complete", json={"parts": parts},
                       headers=headers)  # fmt: skip
    expect(202, done.status_code, done.get_json())
    return Upload(video["id"], started, parts_done, time.perf_counter())


def put_parts(path: Path, plan: dict) -> list[dict]:
    """PUT every part to its presigned URL with IN_FLIGHT threads, each on a kept-alive session."""
    local = threading.local()
    fd = os.open(path, os.O_RDONLY)

    def put(part: dict) -> dict:
        session = local.__dict__.setdefault("session", requests.Session())
        offset = (part["part_number"] - 1) * plan["part_size"]
        reply = session.put(part["url"], data=os.pread(fd, plan["part_size"], offset), timeout=120)
        expect(200, reply.status_code, reply.text[:500])
        return {"part_number": part["part_number"], "etag": reply.headers["ETag"]}

    try:
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            return list(pool.map(put, plan["parts"]))
    finally:
        os.close(fd)
