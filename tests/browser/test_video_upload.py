"""A teacher uploads lessons from the upload page in Chromium: parts go straight to S3."""

import os
import re

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import run_jobs, sample_mp4, upload_via_api  # noqa: F401

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def videos_of(client, email):
    reply = client.get("/api/v1/videos", headers=bearer(client, email))
    assert reply.status_code == 200
    return reply.get_json()["videos"]


def row_for(page, name):
    return page.locator("#upload-list li", has_text=name)


def test_teacher_uploads_on_a_phone_and_then_watches(
    live_server,
    page,
    app,
    client,
    make_user,
    sample_mp4,  # noqa: F811
):
    teacher = make_user("teacher")
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/upload")
    assert page.get_by_role("heading", name="Upload a lesson").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.set_input_files("#file-input", str(sample_mp4))
    row = row_for(page, "lesson.mp4")
    row.get_by_text("Uploaded — processing").wait_for(timeout=15_000)
    assert row.locator("progress").get_attribute("value") == "100"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # Nothing left to resume once the upload completed.
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('debrief.upload:'))")
        == []
    )

    [video] = videos_of(client, teacher.email)
    assert video["title"] == "lesson"
    assert video["status"] == "queued"
    assert video["size_bytes"] == sample_mp4.stat().st_size
    open_link = row.get_by_role("link", name="Open video")
    assert open_link.get_attribute("href") == f"/videos/{video['id']}"

    open_link.click()
    page.wait_for_url(f"{live_server}/videos/{video['id']}")
    assert page.get_by_role("heading", name="Preparing your video").is_visible()
    assert page.locator("#player").count() == 0

    # The worker runs; the open page notices by itself and brings in the player.
    run_jobs(app)
    page.locator("#player video").wait_for(state="visible", timeout=10_000)
    page.wait_for_function(
        "() => document.querySelector('.page-head [data-role=status]').textContent === 'ready'"
    )
    assert page.get_by_role("heading", name="Preparing your video").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_file_over_the_limit_is_refused_before_any_byte_moves(
    live_server, page, app, client, make_user, tmp_path
):
    teacher = make_user("teacher")
    app.config["MAX_UPLOAD_BYTES"] = 1000
    big = tmp_path / "long lesson.mp4"
    big.write_bytes(os.urandom(5000))
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/api/v1/videos" in r.url else None)
    sign_in(page, live_server, teacher.email)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/videos/upload")

    page.set_input_files("#file-input", str(big))
    message = row_for(page, "long lesson.mp4").get_by_role("alert")
    message.wait_for()
    text = message.inner_text()
    assert "long lesson.mp4 is 4.9 KB; the limit is 1000 bytes" in text
    assert requests == []
    assert videos_of(client, teacher.email) == []


def test_a_text_file_is_refused_with_a_clear_message(
    live_server, page, client, make_user, tmp_path
):
    teacher = make_user("teacher")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video at all\n")
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/upload")

    page.set_input_files("#file-input", str(notes))
    message = row_for(page, "notes.txt").get_by_role("alert")
    message.wait_for()
    assert "notes.txt does not look like a video or audio recording" in message.inner_text()
    # The refusal can be dismissed, and nothing was created.
    row_for(page, "notes.txt").get_by_role("button", name=re.compile("Dismiss")).click()
    assert row_for(page, "notes.txt").count() == 0
    assert videos_of(client, teacher.email) == []


def test_cancel_deletes_the_started_upload(live_server, page, client, make_user, tmp_path):
    teacher = make_user("teacher")
    recording = tmp_path / "cancel me.mp4"
    recording.write_bytes(os.urandom(17 * 1024 * 1024))  # two parts
    # Hold the parts so the upload is still running when Cancel is pressed.
    page.route(re.compile(r"[?&]partNumber=\d+"), lambda route: None)
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/upload")

    page.set_input_files("#file-input", str(recording))
    row = row_for(page, "cancel me.mp4")
    page.wait_for_function(
        "() => document.querySelector('#upload-list li')?.dataset.state === 'running'"
        " && localStorage.length > 0"
    )
    [video] = videos_of(client, teacher.email)
    assert video["status"] == "uploading"
    with page.expect_response(lambda r: r.request.method == "DELETE"):
        row.get_by_role("button", name="Cancel upload of cancel me.mp4").click()
    row.get_by_text("Cancelled").wait_for()
    assert videos_of(client, teacher.email) == []
    assert page.evaluate("localStorage.length") == 0
    page.unroute(re.compile(r"[?&]partNumber=\d+"))


def test_a_reload_resumes_without_sending_stored_parts_again(
    browser, live_server, client, make_user, tmp_path
):
    teacher = make_user("teacher")
    recording = tmp_path / "whole lesson.mp4"
    size = 34_000_000  # three parts of 16 MiB
    recording.write_bytes(os.urandom(size))
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/upload")
    page.evaluate("document.getElementById('upload-form').dataset.retryBaseMs = '20'")

    # Part 3 never gets through: the upload gives up after its retries.
    part3 = re.compile(r"[?&]partNumber=3&")
    attempts = []

    def refuse(route):
        attempts.append(route.request.url)
        route.fulfill(status=500, body="", headers={"Access-Control-Allow-Origin": "*"})

    page.route(part3, refuse)
    page.set_input_files("#file-input", str(recording))
    row = row_for(page, "whole lesson.mp4")
    row.get_by_text("Part 3 could not be sent").wait_for(timeout=20_000)
    assert len(attempts) == 6  # the first try and five retries
    assert row.get_by_role("button", name=re.compile("Try again")).is_visible()
    [video] = videos_of(client, teacher.email)
    assert video["status"] == "uploading"

    # Reload (as after a crash or a closed laptop), then choose the same file again.
    page.unroute(part3)
    page.reload()
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "PUT" else None)
    page.set_input_files("#file-input", str(recording))
    row = row_for(page, "whole lesson.mp4")
    row.get_by_text("Uploaded — processing").wait_for(timeout=20_000)
    assert row.get_by_text("Resuming: 2 of 3 parts").count() == 0  # replaced by the final text
    assert len(sent) == 1 and "partNumber=3&" in sent[0], sent
    [again] = videos_of(client, teacher.email)
    assert again["id"] == video["id"]
    assert again["status"] == "queued"
    assert again["size_bytes"] == size
    assert errors == []
    context.close()


def test_the_video_list_follows_processing_by_itself(
    live_server,
    page,
    app,
    client,
    make_user,
    sample_mp4,  # noqa: F811
):
    teacher = make_user("teacher")
    video_id = upload_via_api(client, bearer(client, teacher.email), sample_mp4, title="Maths")
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos")
    item = page.locator(f"li[data-video-id='{video_id}']")
    assert item.locator("[data-role=status]").inner_text().lower().startswith("queued")
    # When processing finishes the list reloads itself once to show the final state.
    with page.expect_navigation(timeout=10_000):
        run_jobs(app)
    item = page.locator(f"li[data-video-id='{video_id}']")
    assert item.locator(".status-ready").text_content().strip() == "ready"
    assert item.get_by_text("0:04").is_visible()
