"""A person signs in in Chromium and lands on the home page of their role."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_teacher_signs_in_on_a_phone_and_sees_their_home(browser, live_server, make_user):
    teacher = make_user("teacher", name="Phone Teacher")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, teacher.email)
    assert page.get_by_role("heading", name="Welcome, Phone Teacher").is_visible()
    assert page.get_by_role("heading", name="My coaching cycles").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Home").get_attribute("aria-current") == "page"
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()


def test_coach_sees_paired_teacher(page, live_server, make_user, pair_users):
    coach, teacher = make_user("coach", name="Laptop Coach"), make_user("teacher", name="Paired T")
    pair_users(coach, teacher)
    page.set_viewport_size({"width": 1366, "height": 800})
    sign_in(page, live_server, coach.email)
    assert page.get_by_role("heading", name="My teachers").is_visible()
    assert page.get_by_text("Paired T").is_visible()


def test_admin_lands_on_program_overview(page, live_server, make_user):
    admin = make_user("admin")
    sign_in(page, live_server, admin.email)
    assert page.get_by_role("heading", name="Program overview").is_visible()
    assert page.url.endswith("/admin/")


def test_wrong_password_shows_a_clear_message(page, live_server, make_user):
    teacher = make_user("teacher")
    sign_in(page, live_server, teacher.email, "not the password")
    assert page.get_by_text("That email and password do not match an active account.").is_visible()
    assert page.get_by_label("Email").input_value() == teacher.email
