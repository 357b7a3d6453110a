"""A measured goal's chart in Chromium: one point per analysed lesson, each a link to its lesson,
under the real CSP (a refused inline style or script is a console error, which fails the test),
fitting a 390 px phone and a 1366 px laptop without sideways scrolling."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.coaching.conftest import lesson_analysis

pytestmark = pytest.mark.browser


def _measured_cycle(app, teacher, coach) -> tuple[int, list[int]]:
    """A cycle whose talk goal is measured, with two analysed lessons and one waiting."""
    from webapp import db
    from webapp.auth.models import User
    from webapp.coaching import services
    from webapp.coaching.measures import Measure
    from webapp.video.models import Status, Video

    with app.app_context():
        session = db.session()
        talk = Measure("student_talk_pct", 40.0, "at_least")
        cycle = services.create_cycle(
            teacher=session.get(User, teacher.id), coach=session.get(User, coach.id),
            title="Student talk", goals=[("Students talk at least 40% of the lesson", [], talk)],
        )  # fmt: skip
        videos = []
        for n, (status, share) in enumerate([("done", 22.0), ("done", 47.5), ("pending", None)]):
            video = Video(owner_id=teacher.id, cycle_id=cycle.id, title=f"Fractions, week {n + 1}",
                          original_filename="l.mp4", content_type="video/mp4", size_bytes=1,
                          source_key="videos/x/source/l.mp4", status=Status.READY,
                          duration_ms=1_800_000, width=640, height=360,
                          created_at=datetime(2026, 11, 2) + timedelta(days=7 * n))  # fmt: skip
            session.add(video)
            session.flush()
            session.add(lesson_analysis(video.id, status=status, student_pct=share))
            videos.append(video.id)
        session.commit()
        return cycle.id, videos


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_goal_chart_draws_each_lesson_and_fits_the_screen(
    app, page, live_server, make_user, pair_users, width, height
):
    teacher, coach = make_user("teacher"), make_user("coach")
    pair_users(coach, teacher)
    cycle_id, videos = _measured_cycle(app, teacher, coach)
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, coach.email)
    page.goto(f"{live_server}/cycles/{cycle_id}")

    chart = page.locator("svg.chart")
    expect(chart).to_have_count(1)
    points = chart.locator("a.chart-link")
    expect(points).to_have_count(2)
    expect(points.first).to_have_attribute("href", f"/videos/{videos[0]}")
    expect(
        page.get_by_text("meets the target: 47.5 % against a target of at least 40 %")
    ).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] > 0.6 * min(width, 768) and box["x"] + box["width"] <= width
    for point in (points.nth(0), points.nth(1)):
        dot = point.locator("circle").bounding_box()
        assert box["x"] <= dot["x"] and dot["x"] + dot["width"] <= box["x"] + box["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    points.nth(1).click()
    page.wait_for_url(f"{live_server}/videos/{videos[1]}")
