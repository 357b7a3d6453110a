"""The library in Chromium: a coach with 60 lessons finds one by a word said in it and lands
at that moment; on a 390 px phone the list pages, filters and fits the screen."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import make_clip, run_jobs, upload_via_api

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
CAPTIONS = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nGood morning, everyone.\n\n"
    "00:00:06.000 --> 00:00:08.000\nWhere does the chlorophyll sit in the leaf?\n"
)


@pytest.fixture(scope="module")
def clip(tmp_path_factory, binaries):
    return make_clip(binaries.ffmpeg, tmp_path_factory.mktemp("library") / "leaf.mp4", seconds=10)


@pytest.fixture
def year_of_lessons(app, client, make_user, pair_users, make_ready_video, clip):
    """59 lessons listed without posters, and one real one whose transcript says the word."""
    teacher = make_user("teacher", name="Tess Teacher")
    coach = make_user("coach", name="Cody Coach")
    pair_users(coach, teacher)
    for n in range(59):
        make_ready_video(
            teacher,
            title=f"Lesson {n + 1}",
            outputs={},
            lesson_date=date(2026, 9, 1) + timedelta(days=n),
            subject="Science",
        )
    headers = bearer(client, teacher.email)
    video_id = upload_via_api(client, headers, clip, title="Plants and light")
    run_jobs(app)
    reply = client.put(f"/api/v1/videos/{video_id}/captions", data=CAPTIONS, headers=headers)
    assert reply.status_code == 201, reply.get_json()
    return {"teacher": teacher, "coach": coach, "video_id": video_id}


def test_a_coach_finds_a_lesson_by_a_word_said_and_lands_at_that_moment(
    page, live_server, year_of_lessons
):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, year_of_lessons["coach"].email)
    page.goto(f"{live_server}/videos")
    expect(page.locator("li.video-item")).to_have_count(25)
    page.get_by_label("Search titles, notes and transcripts").fill("chlorophyll")
    page.get_by_role("button", name="Search", exact=True).click()
    hit = page.locator(f"a[href$='/videos/{year_of_lessons['video_id']}#t=6000']")
    expect(hit).to_have_count(1)
    assert "chlorophyll" in page.locator("main mark").first.inner_text().lower()
    assert_accessible(page)
    hit.click()
    page.wait_for_url(f"**/videos/{year_of_lessons['video_id']}#t=6000")
    page.wait_for_function("() => Math.abs(document.getElementById('video').currentTime - 6) < .3")


def test_the_list_pages_and_filters_on_a_phone(page, live_server, year_of_lessons):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, year_of_lessons["teacher"].email)
    page.goto(f"{live_server}/videos")
    items = page.locator("li.video-item")
    expect(items).to_have_count(25)
    expect(items.first.locator("img")).to_have_count(1)  # the real lesson: its poster
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)

    page.get_by_role("link", name="Next page").click()
    expect(items).to_have_count(25)
    assert "Lesson 35" in items.first.inner_text()
    page.get_by_role("link", name="Next page").click()
    expect(items).to_have_count(10)
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)

    page.get_by_role("link", name="First page").click()
    page.locator("summary", has_text="Filter and sort").click()
    page.get_by_label("Taught from").fill("2026-09-03")
    page.get_by_label("Taught until").fill("2026-09-05")
    page.get_by_role("button", name="Apply").click()
    expect(items).to_have_count(3)
    assert [items.nth(i).locator(".video-link").inner_text() for i in range(3)] == [
        "Lesson 5", "Lesson 4", "Lesson 3"]  # fmt: skip
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
