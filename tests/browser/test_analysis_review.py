"""The lesson analysis on the review page, in Chromium: the talk lane, the figures, correcting a
turn's speaker, suggested moments, and axe on all of it."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import test_review
from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in
from tests.browser.test_review import PHONE, second_page
from webapp import db
from webapp.analysis.models import AnalysisStatus, LessonAnalysis
from webapp.db import utcnow
from webapp.suggestions import services as suggestions
from webapp.video.models import Video

pytestmark = pytest.mark.browser
# The review tests' ready lesson: a teacher paired with a coach, filed under a cycle with goals.
twelve_seconds, lesson = test_review.twelve_seconds, test_review.lesson

# What a run of the analyser makes of a 12-second exchange: an open question the class waits
# 3.2 s on, a student's answer, an open question the teacher answers herself after 0.4 s, and a
# closed one answered after 0.5 s by a voice it cannot place.
TRANSCRIPT = [
    {"start_ms": 500, "end_ms": 3200, "text": "Why do you think one half is bigger?"},
    {"start_ms": 6400, "end_ms": 8600, "text": "Because it has fewer pieces."},
    {"start_ms": 8900, "end_ms": 9500, "text": "What makes a third?"},
    {"start_ms": 9900, "end_ms": 10900, "text": "Three equal parts, right?"},
    {"start_ms": 11400, "end_ms": 11900, "text": "Yes."},
]
TURNS = [
    {"start_ms": 500, "end_ms": 3200, "speaker": "teacher"},
    {"start_ms": 6400, "end_ms": 8600, "speaker": "student"},
    {"start_ms": 8900, "end_ms": 10900, "speaker": "teacher"},
    {"start_ms": 11400, "end_ms": 11900, "speaker": "unknown"},
]
QUESTIONS = [
    {"start_ms": 500, "end_ms": 3200, "text": TRANSCRIPT[0]["text"], "open": True,
     "wait_ms": 3200, "next_speaker": "student"},
    {"start_ms": 8900, "end_ms": 9500, "text": TRANSCRIPT[2]["text"], "open": True,
     "wait_ms": 400, "next_speaker": "teacher"},
    {"start_ms": 9900, "end_ms": 10900, "text": TRANSCRIPT[3]["text"], "open": False,
     "wait_ms": 500, "next_speaker": "unknown"},
]  # fmt: skip
METRICS = {
    "duration_s": 12.0, "speech_s": 7.4, "silence_s": 4.6, "teacher_talk_s": 4.7,
    "student_talk_s": 2.2, "student_talk_pct": 31.9, "teacher_talk_pct": 68.1, "questions": 3,
    "open_questions": 2, "mean_wait_s": 1.37, "median_wait_s": 0.5, "wait_ge_3s_pct": 33.3,
    "student_turns": 1, "longest_teacher_monologue_s": 2.7,
    "talk_per_minute": [{"start_ms": 0, "end_ms": 12000, "teacher_s": 4.7, "student_s": 2.2,
                         "silence_s": 4.6, "student_pct": 31.9}],
}  # fmt: skip
CAVEAT = "The recording is short, so its figures say little about a whole lesson."
LAPTOP = {"width": 1366, "height": 768}
SHOTS = os.environ.get("SCREENSHOTS_DIR")  # set it to keep screenshots of the page


def analyse(app, video_id: int) -> None:
    """Store a finished analysis for the video and suggest its moments, as a finished run does."""
    with app.app_context():
        session = db.session()
        analysis = session.get(LessonAnalysis, video_id) or LessonAnalysis(video_id=video_id)
        session.add(analysis)
        analysis.reset(AnalysisStatus.DONE)
        analysis.progress, analysis.model, analysis.version = 100, "tiny.en", "1.0.0"
        analysis.language, analysis.duration_ms, analysis.finished_at = "en", 12_000, utcnow()
        analysis.metrics, analysis.questions, analysis.turns = METRICS, QUESTIONS, TURNS
        analysis.transcript, analysis.notes = TRANSCRIPT, [CAVEAT]
        analysis.speech = [{"start_ms": t["start_ms"], "end_ms": t["end_ms"]} for t in TURNS]
        session.flush()
        suggestions.refresh(session.get(Video, video_id), analysis)
        session.commit()


def video_at(page, seconds: float) -> None:
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('video').currentTime - {seconds}) < .3"
    )


def shoot(page, name: str) -> None:
    """With SCREENSHOTS_DIR set: the whole page, and the player card and panels up close."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    x, y = page.evaluate("[scrollX, scrollY]")
    for part in (".player-card", "#figures-panel", "#suggestions-panel"):
        box = page.locator(part).bounding_box() if page.locator(part).is_visible() else None
        if box:  # a clip of the whole page: no scrolling, so a hover stays where it is
            box = {**box, "x": box["x"] + x, "y": box["y"] + y}
            path = str(folder / f"{name}-{part.strip('.#')}.png")
            page.screenshot(path=path, full_page=True, clip=box)


def test_coach_reads_the_lane_and_figures_and_seeks_from_a_question(app, live_server, page, lesson):
    analyse(app, lesson["video_id"])
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, lesson["coach"].email)
    page.goto(f"{live_server}/videos/{lesson['video_id']}")
    page.wait_for_function("() => document.getElementById('video').duration > 11")

    lane = page.locator("#analysis-lane-wrap")
    expect(lane).to_be_visible()
    expect(lane).to_contain_text("Teacher/student talk is an estimate")
    bands, ticks = page.locator("#lane-bands .band"), page.locator("#lane-ticks .tick")
    expect(bands).to_have_count(4)
    speakers = [b.get_attribute("class").removeprefix("band band-") for b in bands.all()]
    assert speakers == ["teacher", "student", "teacher", "unknown"]
    # Open and closed questions differ in what they say and in shape, not colour alone.
    expect(ticks).to_have_count(3)
    labels = [t.get_attribute("aria-label") for t in ticks.all()]
    assert labels[0].startswith("Open question at 0:00, waited 3.2 s, then the student: “Why")
    assert labels[1].startswith("Open question at 0:08, waited 0.4 s, then the teacher: “What")
    assert labels[2].startswith("Closed question at 0:09, waited 0.5 s: “Three")
    shapes = [t.get_attribute("class") for t in ticks.all()]
    assert shapes == ["tick tick-open", "tick tick-open", "tick tick-closed"]

    # Hovering a band shows the words spoken in it.
    bands.nth(1).hover()
    expect(page.locator("#lane-tip")).to_be_visible()
    expect(page.locator("#lane-tip")).to_contain_text("Because it has fewer pieces.")
    shoot(page, "review-hover")

    figures = page.locator("#figures")
    expect(figures).to_be_visible()
    values = dict(zip(figures.locator("dt").all_inner_texts(),
                      figures.locator(".figure-value").all_inner_texts(), strict=True))  # fmt: skip
    assert values == {
        "Student talk": "32%", "Teacher talk": "68%", "Questions": "3", "Open questions": "2",
        "Mean wait time": "1.4 s", "Median wait time": "0.5 s", "Waited ≥ 3 s": "33%",
        "Student turns": "1", "Longest teacher monologue": "2.7 s",
    }  # fmt: skip
    expect(page.locator("#analysis-notes")).to_have_text(CAVEAT)
    expect(page.get_by_role("button", name="Run the analysis again")).to_be_visible()
    expect(page.get_by_role("button", name="Delete analysis")).to_have_count(0)  # owner only

    # A click on a question plays from it; so does Enter, after the arrow keys chose it.
    ticks.nth(1).click()
    video_at(page, 8.9)
    ticks.nth(1).focus()
    page.keyboard.press("Home")
    assert page.evaluate("document.activeElement.dataset.at") == "0"
    page.keyboard.press("Enter")
    video_at(page, 0.5)

    # Choosing a band plays it and offers to correct who spoke.
    bands.nth(3).click()
    video_at(page, 11.4)
    menu = page.locator("#speaker-menu")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Not sure")).to_have_attribute("aria-pressed", "true")
    shoot(page, "review-laptop")
    assert_accessible(page)
    # The figures follow a correction.
    menu.get_by_role("button", name="Student").click()
    expect(menu.get_by_role("button", name="Student")).to_have_attribute("aria-pressed", "true")
    expect(bands.nth(3)).to_have_class("band band-student corrected")
    expect(page.locator(".figure-student_turns .figure-value")).to_have_text("2")
    menu.get_by_role("button", name="Close").click()
    expect(menu).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.index") == "3"


def test_teacher_on_a_phone_deletes_the_analysis_and_runs_it_again(app, live_server, page, lesson):
    analyse(app, lesson["video_id"])
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, lesson["teacher"].email)
    page.goto(f"{live_server}/videos/{lesson['video_id']}")
    expect(page.locator("#lane-bands .band")).to_have_count(4)
    expect(page.locator("#figures .figure")).to_have_count(9)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(page, "review-phone")
    assert_accessible(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete analysis").click()
    state = page.locator("#analysis-state")
    expect(state).to_have_text(
        "This lesson has not been analysed: run the analysis to see its figures."
    )
    expect(page.locator("#analysis-lane-wrap")).to_be_hidden()
    expect(page.locator("#figures")).to_be_hidden()
    expect(page.get_by_role("button", name="Delete analysis")).to_be_hidden()

    page.get_by_role("button", name="Run the analysis", exact=True).click()
    expect(state).to_contain_text("waiting for a free worker")
    expect(page.locator("#analysis-progress")).to_be_visible()


def test_a_colleague_shared_to_view_reads_the_lane_but_changes_nothing(
    app, client, live_server, page, make_user, lesson
):
    analyse(app, lesson["video_id"])
    peer = make_user("teacher", name="Pat Peer")
    shared = client.post(f"/api/v1/videos/{lesson['video_id']}/shares",
                         json={"email": peer.email}, headers=lesson["teacher_h"])  # fmt: skip
    assert shared.status_code == 201, shared.get_json()
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, peer.email)
    page.goto(f"{live_server}/videos/{lesson['video_id']}")
    page.wait_for_function("() => document.getElementById('video').duration > 11")
    bands = page.locator("#lane-bands .band")
    expect(bands).to_have_count(4)
    bands.nth(1).click()  # it plays from there, and offers no correction
    video_at(page, 6.4)
    expect(page.locator("#speaker-menu")).to_have_count(0)
    expect(page.locator("#figures .figure")).to_have_count(9)
    expect(page.locator("#figures-panel button")).to_have_count(0)
    expect(page.locator("#suggestions-panel [data-action=accept]")).to_have_count(0)


def test_coach_accepts_a_suggestion_and_the_teacher_sees_the_note(
    app, client, live_server, page, browser, lesson
):
    video_id = lesson["video_id"]
    analyse(app, video_id)
    listed = client.get(f"/api/v1/videos/{video_id}/suggestions", headers=lesson["coach_h"])
    suggested = listed.get_json()["suggestions"]
    # The long wait after the first question, and the short one after the second.
    assert [s["kind"] for s in suggested] == ["long_wait", "short_wait"]
    first = suggested[0]

    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, lesson["coach"].email)
    page.goto(f"{live_server}/videos/{video_id}")
    items = page.locator("#suggestions > li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text(first["text"])
    expect(page.locator("#suggestions-count")).to_have_text("(2)")
    assert_accessible(page, "#suggestions-panel")

    # Accept: the composer opens on the suggestion's range with its words, to edit first.
    items.first.get_by_role("button", name="Accept").click()
    expect(page.locator("#composer")).to_be_visible()
    expect(page.locator("#composer-time")).to_have_text("Suggested moment · From 0:00\u20130:06")
    expect(page.locator("#composer-body")).to_have_value(first["text"])
    expect(page.locator("#composer-kind")).to_be_hidden()  # the suggestion's kind decides
    shoot(page, "review-accept")
    page.locator("#composer-body").press("End")
    page.keyboard.type(" Let's talk about this one.")
    page.keyboard.press("Enter")
    note = page.locator("#notes > li.note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(f"{first['text']} Let's talk about this one.")
    expect(note.locator(".note-time")).to_have_text("0:00\u20130:06")
    expect(page.locator("#timeline .marker.range")).to_have_count(1)
    expect(items).to_have_count(1)

    # Dismiss puts the other away; it can be shown again, marked as dismissed.
    items.first.get_by_role("button", name="Dismiss").click()
    expect(items).to_have_count(0)
    expect(page.locator("#suggestions-empty")).to_contain_text("some were dismissed")
    page.get_by_label("Show dismissed").check()
    expect(items).to_have_count(1)
    expect(items.first.locator(".badge")).to_have_text("Dismissed")

    # The teacher sees the note the suggestion became.
    t_context, teacher_page, teacher_errors = second_page(browser, PHONE)
    sign_in(teacher_page, live_server, lesson["teacher"].email)
    teacher_page.goto(f"{live_server}/videos/{video_id}")
    teacher_note = teacher_page.locator("#notes > li.note")
    expect(teacher_note).to_contain_text("Let's talk about this one.")
    expect(teacher_note).to_contain_text("Cody Coach")
    expect(teacher_page.locator("#suggestions > li")).to_have_count(0)
    t_context.close()
    assert teacher_errors == []
