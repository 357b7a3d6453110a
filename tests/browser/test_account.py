"""The account page in real Chromium, under the real CSP: create a token, copy it, revoke it."""

import re

import pytest
import requests

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_create_show_once_and_revoke_a_token(page, live_server, make_user):
    teacher = make_user("teacher", name="Tess Teacher")
    sign_in(page, live_server, teacher.email)
    page.get_by_role("link", name="Tess Teacher").click()
    page.get_by_label("Name").fill("Lab PC uploader")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    assert re.fullmatch(r"dbf_[\w-]+", secret)
    me = f"{live_server}/api/v1/me"
    auth = {"Authorization": f"Bearer {secret}"}
    assert requests.get(me, headers=auth, timeout=10).status_code == 200
    page.goto(f"{live_server}/account")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke Lab PC uploader").click()
    page.get_by_text("Token revoked.").wait_for()
    assert requests.get(me, headers=auth, timeout=10).status_code == 401
