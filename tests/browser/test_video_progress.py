"""A processing video's percentage in Chromium: the badge and both notices move together."""

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import sample_mp4, upload_via_api  # noqa: F401
from webapp import db
from webapp.video.models import Status, Video

pytestmark = pytest.mark.browser

PERCENTAGES = "() => [...document.querySelectorAll('[data-role=progress]')].map(e => e.textContent)"


def test_the_watch_page_shows_one_live_percentage(
    live_server,
    page,
    app,
    client,
    make_user,
    sample_mp4,  # noqa: F811
):
    teacher = make_user("teacher")
    video_id = upload_via_api(client, bearer(client, teacher.email), sample_mp4)

    def processed(percent: int) -> None:
        with app.app_context():
            video = db.session().get(Video, video_id)
            video.status, video.progress = Status.PROCESSING, percent
            video.quick_key = video.source_key  # the quick copy plays meanwhile
            db.session().commit()

    processed(9)
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/{video_id}")
    assert page.evaluate(PERCENTAGES) == ["9%"] * 3  # the badge, the player's notice, the card
    processed(19)
    page.wait_for_function(f"() => ({PERCENTAGES})().every(t => t === '19%')", timeout=10_000)
    assert page.evaluate(PERCENTAGES) == ["19%"] * 3
