"""Every page shows a processing video's percentage as the API reports its `progress`."""

import re

import pytest

from webapp.video.models import Status

PERCENT = re.compile(r'<span data-role="progress">(\d+)%</span>')
BADGE = re.compile(
    r'<span class="status [^"]*" data-role="status">'
    r'(?:[^<]|<span data-role="progress">[^<]*</span>)*</span>'
)


def badge(html: str) -> str:
    return BADGE.search(html)[0]


@pytest.fixture
def processing(make_user, make_ready_video, auth):
    """A teacher, signed in, with a video 37% processed that plays its quick copy meanwhile."""
    teacher = make_user("teacher")
    auth.login(teacher.email)
    return make_ready_video(
        teacher, status=Status.PROCESSING, progress=37, quick_key="videos/x/quick.mp4"
    )


def test_watch_page_badge_and_notices_say_the_same_percentage(client, processing):
    assert client.get(f"/api/v1/videos/{processing}").get_json()["progress"] == 37
    html = client.get(f"/videos/{processing}").get_data(as_text=True)
    assert PERCENT.findall(badge(html)) == ["37"]
    notice = re.search(r'<p class="notice" id="preparing-notice">.*?</p>', html)[0]
    text = re.search(r'<p id="processing-text"[^>]*>.*?</p>', html)[0]
    assert PERCENT.findall(notice) == PERCENT.findall(text) == ["37"]
    assert PERCENT.findall(html) == ["37", "37", "37"]  # the badge, the player, the card
    assert re.search(r'<progress id="processing-bar"[^>]* value="37"', html)


@pytest.mark.parametrize("page", ["/", "/videos"])
def test_list_badges_say_the_same_percentage(client, processing, page):
    html = client.get(page).get_data(as_text=True)
    assert PERCENT.findall(badge(html)) == ["37"]
