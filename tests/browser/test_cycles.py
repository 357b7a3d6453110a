"""A coach opens a cycle with two goals in Chromium, and the cycle page shows the evidence."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _lesson_with_notes(app, teacher_id: int, coach_id: int, cycle_id: int) -> int:
    """A ready video in the cycle with two wait-time notes, one tagged with the first goal."""
    from sqlalchemy import select

    from webapp import db
    from webapp.annotations import services as annotations
    from webapp.annotations.schemas import AnnotationCreate
    from webapp.auth.models import User
    from webapp.coaching.models import Cycle, Move
    from webapp.video.models import Status, Video

    with app.app_context():
        session = db.session()
        cycle = session.get(Cycle, cycle_id)
        wait_time = session.scalar(select(Move).where(Move.code == "WT"))
        video = Video(owner_id=teacher_id, cycle_id=cycle_id, title="Fractions, period 2",
                      original_filename="l.mp4", content_type="video/mp4", size_bytes=1,
                      source_key="videos/x/source/l.mp4", status=Status.READY,
                      duration_ms=300_000, width=640, height=360)  # fmt: skip
        session.add(video)
        session.flush()
        coach = session.get(User, coach_id)
        first = AnnotationCreate(body="Five full seconds before calling on anyone",
                                 start_ms=83_000, move_id=wait_time.id,
                                 goal_id=cycle.goals[0].id)  # fmt: skip
        annotations.create(video, coach, first)
        again = AnnotationCreate(body="Waited again", start_ms=120_000, move_id=wait_time.id)
        annotations.create(video, coach, again)
        session.commit()
        return video.id


def test_coach_opens_cycle_and_sees_evidence(app, page, live_server, make_user, pair_users):
    coach = make_user("coach", name="Cora Coach")
    teacher = make_user("teacher", name="Tomas Teacher")
    pair_users(coach, teacher)
    sign_in(page, live_server, coach.email)

    page.goto(f"{live_server}/cycles")
    page.get_by_role("link", name="New cycle").click()
    page.get_by_label("Teacher").select_option(label="Tomas Teacher")
    page.get_by_label("Title").fill("Student talk in math")
    page.get_by_label("Starts on").fill("2026-11-02")
    page.get_by_label("Ends on").fill("2026-12-18")
    page.get_by_label("Status").select_option("active")
    goals = page.locator(".goal-slot")
    goals.nth(0).get_by_label("Goal 1").fill("Wait 3 seconds after every question")
    goals.nth(0).get_by_text("Linked moves for goal 1").click()
    goals.nth(0).get_by_role("checkbox", name="WT Wait time").check()
    goals.nth(1).get_by_label("Goal 2").fill("Students talk for 40% of the lesson")
    goals.nth(1).get_by_text("Linked moves for goal 2").click()
    goals.nth(1).get_by_role("checkbox", name="TT Turn-and-talk").check()
    page.get_by_role("button", name="Open cycle").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Student talk in math")
    expect(page.get_by_role("status")).to_contain_text("Opened the cycle")
    goals_list = page.locator("section", has=page.get_by_role("heading", name="Goals"))
    expect(goals_list.get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_text("No videos yet.")).to_be_visible()

    cycle_id = int(re.search(r"/cycles/(\d+)$", page.url).group(1))
    video_id = _lesson_with_notes(app, teacher.id, coach.id, cycle_id)
    page.reload()
    videos = page.get_by_role("table", name="Videos in this cycle, oldest first")
    expect(videos.get_by_role("link", name="Fractions, period 2")).to_be_visible()
    expect(videos.get_by_role("cell", name="2", exact=True)).to_be_visible()  # notes

    goal = page.get_by_role("article", name=re.compile("Wait 3 seconds"))
    counts = goal.get_by_role("table", name="How often each linked move was marked, per video")
    expect(counts.get_by_role("row")).to_have_count(2)
    expect(counts.get_by_role("cell").first).to_have_text("2")  # both wait-time notes count
    moment = goal.get_by_role("link", name=re.compile(r"^1:23"))
    expect(moment).to_have_attribute("href", f"/videos/{video_id}#t=83000")
    expect(goal.get_by_text("Five full seconds before calling on anyone")).to_be_visible()
    expect(goal.get_by_text("Waited again")).to_have_count(0)  # not tagged with the goal
