"""The review page in Chromium: keyboard coding, live updates, filters, threads, exports."""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import make_clip, run_jobs, upload_via_api

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 850}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def twelve_seconds(tmp_path_factory, binaries):
    """A 12-second low-resolution lesson: long enough to code three separate moments."""
    return make_clip(binaries.ffmpeg, tmp_path_factory.mktemp("review") / "talk.mp4", seconds=12)


@pytest.fixture
def lesson(app, client, make_user, pair_users, twelve_seconds):
    """A ready lesson of a teacher paired with a coach, filed under a cycle with two goals."""
    teacher = make_user("teacher", name="Tess Teacher")
    coach = make_user("coach", name="Cody Coach")
    pair_users(coach, teacher)
    coach_h, teacher_h = bearer(client, coach.email), bearer(client, teacher.email)
    cycle = client.post("/api/v1/cycles", headers=coach_h, json={
        "teacher_id": teacher.id, "title": "Student talk",
        "goals": ["Students talk for 40% of the lesson", "Wait 3 s after questions"]},
    ).get_json()  # fmt: skip
    video_id = upload_via_api(
        client, teacher_h, twelve_seconds, title="Discussion", cycle_id=cycle["id"]
    )
    run_jobs(app)
    video = client.get(f"/api/v1/videos/{video_id}", headers=teacher_h).get_json()
    assert video["status"] == "ready", video["error"]
    [framework] = client.get("/api/v1/frameworks", headers=coach_h).get_json()["frameworks"]
    return {
        "teacher": teacher, "coach": coach, "video_id": video_id, "cycle": cycle,
        "moves": framework["moves"], "teacher_h": teacher_h, "coach_h": coach_h,
    }  # fmt: skip


def second_page(browser, viewport):
    """Another person's browser, failing the test on any page error like the `page` fixture."""
    context = browser.new_context(viewport=viewport)
    other = context.new_page()
    errors = []
    other.on("pageerror", lambda err: errors.append(str(err)))
    other.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, other, errors


def seek(page, seconds: float) -> None:
    page.evaluate(
        """s => new Promise(done => { const v = document.getElementById('video');
             v.addEventListener('seeked', done, {once: true}); v.currentTime = s; })""",
        seconds,
    )
    page.locator("h1").click()  # keyboard focus back on the page, out of any control


def notes(page):
    return page.locator("#notes > li.note")


def test_coach_codes_by_keyboard_and_teacher_follows_live(live_server, page, browser, lesson):
    video_url = f"{live_server}/videos/{lesson['video_id']}"
    t_context, teacher_page, teacher_errors = second_page(browser, PHONE)
    sign_in(teacher_page, live_server, lesson["teacher"].email)
    teacher_page.goto(video_url)
    teacher_page.locator("#notes-count").filter(has_text="(0)").wait_for()
    teacher_page.evaluate("window.notReloaded = true")

    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, lesson["coach"].email)
    page.goto(video_url)
    page.wait_for_function("() => document.getElementById('video').duration > 11")
    page.locator("#notes-count").filter(has_text="(0)").wait_for()

    # 1. A moment: N opens the note at the current time; Enter saves.
    seek(page, 2)
    page.keyboard.press("n")
    composer = page.locator("#composer")
    assert composer.is_visible()
    assert page.locator("#composer-time").inner_text() == "At 0:02"
    assert page.evaluate("document.activeElement.id") == "composer-body"
    page.keyboard.type("Lovely pause after the question")
    page.keyboard.press("Enter")
    notes(page).first.wait_for()
    assert composer.is_hidden()

    # 2. A range with [ and ], tagged with move 2 by its number key.
    seek(page, 5)
    page.keyboard.press("[")
    seek(page, 8)
    page.keyboard.press("]")
    assert "0:05\u20130:08" in page.locator("#range-status").inner_text()
    page.keyboard.press("2")
    assert page.locator("#composer-time").inner_text() == "From 0:05\u20130:08"
    second_move = lesson["moves"][1]
    assert page.locator("#composer-move").input_value() == str(second_move["id"])
    page.keyboard.type("Pairs talk about the fraction strip")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#notes > li.note').length === 2")

    # 3. A next step tagged with move 1 and the first goal, all from the keyboard.
    seek(page, 10)
    page.keyboard.press("1")
    page.keyboard.type("Try a turn-and-talk before answers")
    page.keyboard.press("Tab")  # to the move select
    page.keyboard.press("Tab")  # to the kind select
    page.keyboard.press("End")  # the last kind: next step
    page.keyboard.press("Tab")  # to the goal select
    page.keyboard.press("ArrowDown")
    page.locator("#composer-body").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#notes > li.note').length === 3")
    assert page.locator("#notes-count").inner_text() == "(3)"
    assert page.locator("#timeline .marker.point").count() == 2
    assert page.locator("#timeline .marker.range").count() == 1
    third = notes(page).nth(2)
    assert "Next step" in third.inner_text()
    assert "Goal: Students talk for 40% of the lesson" in third.inner_text()

    # The teacher, on a phone, sees all three without reloading.
    teacher_page.locator("#notes-count").filter(has_text="(3)").wait_for(timeout=10_000)
    assert teacher_page.evaluate("window.notReloaded") is True
    assert "Pairs talk about the fraction strip" in notes(teacher_page).nth(1).inner_text()
    assert teacher_page.locator("#timeline .marker").count() == 3

    # Filter by move: only the range is left, on the list and the timeline.
    teacher_page.locator("#filters summary").click()
    teacher_page.select_option("#filter-move", str(second_move["id"]))
    assert notes(teacher_page).count() == 1
    assert teacher_page.locator("#timeline .marker").count() == 1
    assert teacher_page.locator("#notes-count").inner_text() == "(1 of 3)"
    teacher_page.get_by_role("button", name="Clear filters").click()
    assert notes(teacher_page).count() == 3

    # The teacher replies in place; the coach sees the reply without reloading.
    first = notes(teacher_page).first
    first.get_by_role("button", name="Reply").click()
    teacher_page.keyboard.type("I counted to five in my head!")
    teacher_page.keyboard.press("Enter")
    first.locator(".replies li").wait_for()
    notes(page).first.locator(".replies li").filter(has_text="counted to five").wait_for()

    # The coach resolves the thread; the teacher sees it resolved.
    notes(page).first.get_by_role("button", name="Resolve").click()
    notes(page).first.locator(".badge-resolved").wait_for()
    notes(teacher_page).first.locator(".badge-resolved").wait_for(timeout=10_000)
    teacher_page.locator("#filter-unresolved").check()  # the filters are still open
    assert notes(teacher_page).count() == 2

    # Clicking a note's time seeks the video there.
    notes(page).nth(1).locator(".note-time").click()
    page.wait_for_function("() => Math.abs(document.getElementById('video').currentTime - 5) < .3")
    # The list follows on "seeked", which fires a moment after currentTime changes.
    expect(notes(page).nth(1)).to_have_attribute("aria-current", "true")

    t_context.close()
    assert teacher_errors == []


def test_exports_parse_in_chromium_and_the_summary_links_back(live_server, page, client, lesson):
    video_id, coach_h = lesson["video_id"], lesson["coach_h"]
    base = f"/api/v1/videos/{video_id}/annotations"
    first = client.post(base, headers=coach_h, json={
        "start_ms": 1500, "body": 'Wait time <b>"3 s"</b> --> great', "kind": "strength",
        "move_id": lesson["moves"][0]["id"], "goal_id": lesson["cycle"]["goals"][1]["id"]},
    ).get_json()  # fmt: skip
    client.post(
        base,
        headers=coach_h,
        json={"start_ms": 4000, "end_ms": 9000, "body": "Next: cold call", "kind": "next_step"},
    )
    client.post(base, headers=lesson["teacher_h"], json={"parent_id": first["id"], "body": "Yes!"})

    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, lesson["coach"].email)
    page.goto(f"{live_server}/videos/{video_id}")
    cues = page.evaluate(
        """url => new Promise((done, fail) => {
             const video = document.getElementById('video');
             const track = document.createElement('track');
             track.kind = 'metadata'; track.src = url; track.default = true;
             track.addEventListener('load', () => done([...track.track.cues].map(c => c.text)));
             track.addEventListener('error', () => fail(new Error('track failed')));
             video.append(track); track.track.mode = 'hidden';
           })""",
        f"{base}.vtt?inline=1",
    )
    assert len(cues) == 3  # one cue per annotation, replies included
    payloads = [json.loads(text) for text in cues]
    assert payloads[0]["body"] == 'Wait time <b>"3 s"</b> --> great'
    assert payloads[0]["move"]["code"] == lesson["moves"][0]["code"]

    page.get_by_role("link", name="Summary").click()
    page.get_by_role("heading", name="Next steps").wait_for()
    assert "Next: cold call" in page.locator("section", has_text="Next steps").inner_text()
    goal = page.locator("section", has_text="Goal: Wait 3 s after questions")
    assert 'Wait time <b>"3 s"</b> --> great' in goal.inner_text()
    assert "Yes!" in goal.inner_text()
    goal.get_by_role("link", name="0:01").click()
    page.wait_for_function(
        "() => Math.abs(document.getElementById('video').currentTime - 1.5) < .3", timeout=10_000
    )


def test_teacher_adds_a_transcript_and_searches_it(live_server, page, lesson, tmp_path):
    captions = tmp_path / "lesson.srt"
    captions.write_text(
        "1\n00:00:01,000 --> 00:00:03,000\nWhat do you notice about the fractions?\n\n"
        "2\n00:00:06,000 --> 00:00:09,500\nHalf of the strip is <i>shaded</i>.\n\n"
        "3\n00:00:10,000 --> 00:00:11,000\nTurn to your partner & explain.\n"
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, lesson["teacher"].email)
    page.goto(f"{live_server}/videos/{lesson['video_id']}")
    page.locator("#captions-file").set_input_files(str(captions))
    transcript = page.locator("#transcript li")
    transcript.first.wait_for()
    assert transcript.count() == 3
    assert transcript.nth(2).inner_text().endswith("Turn to your partner & explain.")
    track_src = page.locator("#captions-track").get_attribute("src")
    assert track_src.endswith("/media/captions.vtt")
    track_mode = "document.getElementById('captions-track').track.mode"
    assert page.evaluate(track_mode) == "hidden"
    page.get_by_role("button", name="Captions", exact=True).click()
    assert page.evaluate(track_mode) == "showing"
    assert (
        page.get_by_role("button", name="Captions", exact=True).get_attribute("aria-pressed")
        == "true"
    )

    page.get_by_label("Search the transcript").fill("strip")
    assert page.locator("#transcript li:visible").count() == 1
    assert page.locator("#transcript mark").inner_text() == "strip"
    assert "1 of 3 lines" in page.locator("#transcript-count").inner_text()

    page.locator("#transcript li:visible button").click()
    page.wait_for_function("() => Math.abs(document.getElementById('video').currentTime - 6) < .3")
    page.wait_for_function(
        "() => document.querySelector('#transcript li.current')?.innerText.includes('shaded')"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
