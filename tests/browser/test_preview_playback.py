"""Chromium plays an iPhone (HEVC, portrait) upload from its growing preview while it is still
processing, plays on past where the playlist ended when playback began, and switches to the
complete stream without a reload once the video is ready."""

import pytest
from rq import SimpleWorker

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.media.matrix import iphone_portrait
from tests.video.conftest import run_jobs, upload_via_api
from webapp import queue

pytestmark = pytest.mark.browser


def run_preview_jobs(app, count: int) -> None:
    with app.app_context():
        worker = SimpleWorker([queue.get_queue(queue.Priority.HIGH)], connection=queue.connection(),
                              serializer=queue.SERIALIZER)  # fmt: skip
        worker.work(burst=True, max_jobs=count)


def test_an_hevc_upload_plays_while_processing(
    live_server, page, app, client, make_user, binaries, tmp_path
):
    app.config["PREVIEW_SLICE_SECONDS"] = 8
    teacher = make_user("teacher")
    sample = iphone_portrait(binaries, tmp_path, seconds=24)
    video_id = upload_via_api(
        client, bearer(client, teacher.email), sample.path, content_type="video/quicktime"
    )
    run_preview_jobs(app, 1)  # the first 8 s are playable; nothing else is made yet

    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/{video_id}")
    page.evaluate("() => { window.sameDocument = true; }")
    assert page.get_attribute("#player", "data-preview") == "true"
    assert "Preparing the rest: 0%" in page.inner_text("#preparing-notice")
    page.select_option("#speed", "2")
    page.click("#play")
    page.wait_for_function("() => document.getElementById('video').currentTime > 1", timeout=20_000)
    ready = page.evaluate(
        "(v => v.seekable.end(v.seekable.length - 1))(document.getElementById('video'))"
    )
    assert 7 <= ready <= 8.5  # one slice was ready when playback began

    run_preview_jobs(app, 2)  # the rest of the preview, while it plays
    page.wait_for_function(
        "() => document.getElementById('video').currentTime > 12", timeout=30_000
    )
    size = page.evaluate("(v => [v.videoWidth, v.videoHeight])(document.getElementById('video'))")
    assert size[0] < size[1]  # upright portrait

    run_jobs(app)  # the ladder: the page switches to it in place
    page.wait_for_function(
        "() => document.getElementById('player').dataset.preview === 'false'", timeout=30_000
    )
    page.wait_for_function("() => !document.getElementById('preparing-notice')", timeout=10_000)
    assert "full-quality version is ready" in page.inner_text("#ready-notice")
    assert page.evaluate("() => window.sameDocument") is True  # no reload
    assert "/preview/" not in page.get_attribute("#player", "data-hls")
    page.wait_for_function(
        "() => document.getElementById('video').currentTime > 14", timeout=30_000
    )
