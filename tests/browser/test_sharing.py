"""Sharing from the video page in Chromium, and the consent box on the upload page."""

import pytest

from tests.browser.conftest import sign_in
from tests.conftest import bearer
from tests.video.conftest import run_jobs, sample_mp4, upload_via_api  # noqa: F401

pytestmark = pytest.mark.browser


def test_owner_shares_with_a_peer_and_sees_who_has_watched(
    live_server,
    page,
    browser,
    app,
    client,
    make_user,
    sample_mp4,  # noqa: F811
):
    owner = make_user("teacher", name="Olive Owner")
    peer = make_user("teacher", name="Pete Peer")
    video_id = upload_via_api(client, bearer(client, owner.email), sample_mp4, title="Fractions")
    run_jobs(app)

    sign_in(page, live_server, owner.email)
    page.goto(f"{live_server}/videos/{video_id}")
    seen = page.locator("#seen")
    assert seen.get_by_text("Nobody but you has opened this video.").is_visible()
    sharing = page.locator("#sharing")
    assert sharing.get_by_text("Not shared with anyone.").is_visible()
    sharing.get_by_label("Share with (email)").fill(peer.email)
    sharing.get_by_label("They can").select_option("comment")
    sharing.get_by_role("button", name="Share").click()
    page.get_by_text("Pete Peer can now watch and comment on this video.").wait_for()
    assert sharing.get_by_role("cell", name=f"Pete Peer {peer.email}").is_visible()
    assert sharing.get_by_role("cell", name="Watch and comment").is_visible()

    peer_context = browser.new_context()
    try:
        peer_page = peer_context.new_page()
        sign_in(peer_page, live_server, peer.email)
        peer_page.goto(f"{live_server}/videos")
        peer_page.get_by_role("link", name="Fractions").click()
        peer_page.wait_for_url(f"{live_server}/videos/{video_id}")
        assert peer_page.get_by_text("Olive Owner shared this video with you").is_visible()
        assert peer_page.locator("#seen").count() == 0
    finally:
        peer_context.close()

    page.reload()
    row = page.locator("#seen tbody tr")
    assert row.count() == 1
    assert row.get_by_role("cell", name="Pete Peer teacher").is_visible()
    assert row.get_by_role("cell", name="Shared by you").is_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    sharing.get_by_role("button", name="Revoke Pete Peer's access").click()
    page.get_by_text("Pete Peer can no longer see this video.").wait_for()
    assert sharing.get_by_text("Not shared with anyone.").is_visible()
    page.locator("#seen summary").click()
    assert page.get_by_text("Stopped sharing with Pete Peer").is_visible()


def test_upload_waits_for_the_consent_box_when_the_school_requires_it(
    live_server,
    page,
    app,
    client,
    make_user,
    sample_mp4,  # noqa: F811
):
    from webapp import db
    from webapp.auth.models import School
    from webapp.sharing import policies

    teacher = make_user("teacher")
    with app.app_context():
        school = db.session().get(School, teacher.school_id)
        policies.update_school(
            school,
            require_consent=True,
            policy="Opted-out students sit off camera.",
            retention_days=None,
        )
        db.session().commit()

    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/videos/upload")
    page.get_by_text("Test School's consent policy", exact=True).click()
    assert page.get_by_text("Opted-out students sit off camera.").is_visible()
    page.set_input_files("#file-input", str(sample_mp4))
    refused = page.locator("#upload-list li", has_text="lesson.mp4")
    assert refused.get_by_text("requires you to confirm its consent policy first").is_visible()
    assert client.get("/api/v1/videos", headers=bearer(client, teacher.email)).get_json() == {
        "videos": [],
        "next_cursor": None,
    }

    page.get_by_label("These recordings follow Test School's consent policy").check()
    page.set_input_files("#file-input", str(sample_mp4))
    done = page.locator('#upload-list li[data-state="done"]')
    done.get_by_text("Uploaded — processing").wait_for(timeout=15_000)
    with app.app_context():
        from webapp.video.models import Video

        [video] = db.session().query(Video).all()
        assert video.consent_confirmed_at is not None
        assert video.consent_policy == "Opted-out students sit off camera."
