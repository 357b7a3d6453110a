"""Watching a processed lesson in Chromium: HLS through hls.js, the MP4 fallback, controls."""

import re

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import run_jobs, sample_mp4, upload_via_api  # noqa: F401

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 800}
NO_NATIVE_HLS = """
const canPlay = HTMLMediaElement.prototype.canPlayType;
HTMLMediaElement.prototype.canPlayType = function (type) {
  return /mpegurl/i.test(type) ? "" : canPlay.call(this, type);
};
"""


@pytest.fixture
def lesson(app, client, make_user, sample_mp4):  # noqa: F811
    """A teacher's processed 4-second lesson: (teacher, video id)."""
    teacher = make_user("teacher", name="Watching Teacher")
    video_id = upload_via_api(client, bearer(client, teacher.email), sample_mp4, title="Fractions")
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=bearer(client, teacher.email))
    assert video.get_json()["status"] == "ready", video.get_json()["error"]
    return teacher, video_id


def current_time(page) -> float:
    return page.evaluate("() => document.getElementById('video').currentTime")


def wait_playing(page, beyond: float = 0.5) -> None:
    page.wait_for_function(
        f"() => document.getElementById('video').currentTime > {beyond}", timeout=10_000
    )


def test_teacher_watches_with_hls_js_and_uses_the_controls(live_server, page, lesson):
    teacher, video_id = lesson
    page.set_viewport_size(LAPTOP)
    page.add_init_script(NO_NATIVE_HLS)  # make the page choose hls.js even where HLS is native
    sprites = []
    page.on("response", lambda r: sprites.append(r) if "sprite-0001.jpg" in r.url else None)
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/{video_id}")

    player = page.locator("#player")
    assert player.get_attribute("data-engine") == "hls.js"
    page.wait_for_function("() => document.getElementById('video').duration > 3.5")
    assert page.locator("#time").inner_text() == "0:00 / 0:04"

    page.get_by_role("button", name="Play (space or K)").click()
    wait_playing(page)
    assert page.evaluate("() => document.getElementById('video').src").startswith("blob:")
    assert page.get_by_role("button", name="Pause (space or K)").is_visible()

    # Speed.
    page.get_by_label("Speed").select_option("1.5")
    assert page.evaluate("() => document.getElementById('video').playbackRate") == 1.5

    # Keyboard: K pauses, L jumps forward (clamped at the end), J back, arrows 5 s.
    page.locator("#main").focus()
    page.keyboard.press("k")
    page.wait_for_function("() => document.getElementById('video').paused")
    page.keyboard.press("j")
    assert current_time(page) == 0
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('video').currentTime > 3.5")
    page.keyboard.press("ArrowLeft")
    assert current_time(page) == 0
    page.keyboard.press("l")
    assert current_time(page) > 3.5
    page.wait_for_function("() => document.getElementById('time').textContent === '0:04 / 0:04'")
    page.keyboard.press("j")
    assert current_time(page) == 0
    # Space toggles play, and the seek bar takes the arrow keys too.
    page.keyboard.press(" ")
    wait_playing(page, 0.2)
    page.keyboard.press(" ")
    page.locator("#scrub").focus()
    page.keyboard.press("ArrowRight")
    assert current_time(page) > 3.5

    # Hovering the seek bar previews the storyboard tile under the pointer.
    box = page.locator("#scrub").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
    preview = page.locator("#scrub-preview")
    preview.wait_for(state="visible")
    thumb = page.locator("#scrub-thumb")
    assert "thumbs/sprite-0001.jpg" in thumb.evaluate("el => el.style.backgroundImage")
    assert thumb.evaluate("el => el.style.backgroundPosition") == "0px 0px"
    assert page.locator("#scrub-time").inner_text() == "0:01"
    assert any(r.status == 200 for r in sprites), [(r.url, r.status) for r in sprites]
    page.mouse.move(10, 10)
    preview.wait_for(state="hidden")

    # The waveform sits under the video; clicking it seeks.
    waveform = page.locator("#waveform")
    waveform.wait_for(state="visible")
    wave_box = waveform.bounding_box()
    assert wave_box["width"] == pytest.approx(page.locator("#player").bounding_box()["width"])
    page.mouse.click(wave_box["x"] + wave_box["width"] / 2, wave_box["y"] + wave_box["height"] / 2)
    assert 1.5 < current_time(page) < 2.5
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]


def test_mp4_fallback_without_hls_js(live_server, page, lesson):
    teacher, video_id = lesson
    page.add_init_script(NO_NATIVE_HLS)
    page.route(
        re.compile(r"/static/vendor/hls\.min\.js$"),
        lambda route: route.fulfill(status=200, body="", content_type="text/javascript"),
    )
    media = []
    page.on("response", lambda r: media.append(r) if "/mp4/" in r.url else None)
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/{video_id}")
    assert page.locator("#player").get_attribute("data-engine") == "mp4"
    src = page.evaluate("() => document.getElementById('video').src")
    assert re.search(rf"/videos/{video_id}/media/mp4/\d+\.mp4$", src), src
    page.get_by_role("button", name="Play (space or K)").click()
    wait_playing(page)
    # The app checked access and redirected to a short-lived S3 URL, which served the bytes.
    assert any(r.status == 302 and r.url == src for r in media)
    assert any(r.ok and "X-Amz-Signature" in r.url for r in media), [r.url for r in media]


def test_the_paired_coach_watches_and_an_unpaired_coach_gets_not_found(
    live_server, page, browser, lesson, make_user, pair_users
):
    teacher, video_id = lesson
    coach = make_user("coach", name="Paired Coach")
    pair_users(coach, teacher)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, coach.email)
    page.goto(f"{live_server}/videos")
    page.get_by_role("link", name="Fractions").click()
    page.wait_for_url(f"{live_server}/videos/{video_id}")
    assert page.get_by_text("Watching Teacher").first.is_visible()
    # A coach does not manage the teacher's video.
    assert page.get_by_role("button", name="Delete video").count() == 0
    page.get_by_role("button", name="Play (space or K)").click()
    wait_playing(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    stranger = make_user("coach", name="Other Coach")
    context = browser.new_context()
    other = context.new_page()
    sign_in(other, live_server, stranger.email)
    reply = other.goto(f"{live_server}/videos/{video_id}")
    assert reply.status == 404
    assert other.get_by_role("heading", name="Not found").is_visible()
    assert other.locator("#player").count() == 0
    assert "Fractions" not in other.content()
    context.close()
