"""The interactive API documentation in real Chromium, under the real CSP (no console errors)."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_docs_list_every_operation_and_try_one_with_the_session(page, live_server, make_user):
    teacher = make_user("teacher", name="Tess Teacher")
    sign_in(page, live_server, teacher.email)
    page.goto(f"{live_server}/api/v1/docs")
    spec = page.request.get(f"{live_server}/api/v1/openapi.json").json()
    operations = sum(len([m for m in item if m != "parameters"]) for item in spec["paths"].values())
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == operations

    me = page.locator(".opblock-get").filter(has=page.locator('[data-path="/api/v1/me"]'))
    me.locator(".opblock-summary").click()
    me.get_by_role("button", name="Try it out").click()
    me.get_by_role("button", name="Execute").click()
    response = me.locator(".live-responses-table .response")
    response.first.wait_for()
    assert "200" in response.locator(".response-col_status").first.inner_text()
    assert teacher.email in me.locator(".live-responses-table").inner_text()
