"""Every /admin route: 401 for members who are not system admins, CSRF refused,
and where a system admin without a realm lands."""

from __future__ import annotations

import pytest

from tests.ui.admin.conftest import audit_count

GETS = [
    "/admin",
    "/admin/",
    "/admin/realms",
    "/admin/realms/new",
    "/admin/realms/1/edit",
    "/admin/users",
    "/admin/users/new",
    "/admin/users/1",
    "/admin/user-report",
    "/admin/mobile-apps",
    "/admin/mobile-apps/1",
    "/admin/sms",
    "/admin/email",
    "/admin/caches",
    "/admin/info",
    "/admin/stats/system.json",
]
# (method override, path): every state-changing route.
WRITES = [
    (None, "/admin/realms"),
    ("PATCH", "/admin/realms/1"),
    ("PATCH", "/admin/realms/1/add/1"),
    (None, "/admin/realms/1/invite"),
    ("PATCH", "/admin/realms/1/remove/1"),
    (None, "/admin/users"),
    ("DELETE", "/admin/users/1"),
    ("DELETE", "/admin/users/1/revoke"),
    (None, "/admin/users/1/sessions"),
    ("DELETE", "/admin/user-report"),
    (None, "/admin/sms"),
    (None, "/admin/email"),
    (None, "/admin/caches/clear/realms:"),
]
BODY = {
    "name": "X Realm",
    "regionCode": "XX",
    "email": "x@example.com",
    "short_code_max_minutes": "90",
    "phone_number[full]": "+12065550100",
    "twilio_account_sid": "AC1",
    "smtp_account": "a@example.com",
    "smtp_host": "localhost",
}


def _form(method):
    return {**BODY, **({"_method": method} if method else {})}


@pytest.mark.parametrize("path", GETS)
def test_members_who_are_not_system_admins_get_401(signed_in, path):
    assert signed_in.get(path).status_code == 401


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_by_non_admins_are_refused_and_write_nothing(
    signed_in, conn, method, path
):
    before = audit_count(conn)
    assert signed_in.form(path, _form(method)).status_code == 401
    assert audit_count(conn) == before


def test_anonymous_browsers_are_sent_to_sign_in(browser):
    result = browser.get("/admin/realms")
    assert result.status_code == 303 and result.headers["Location"].endswith("/")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_csrf_is_required_for_every_write(admin, conn, method, path):
    before = audit_count(conn)
    result = admin.form(path, _form(method), csrf=False)
    assert result.status_code == 401
    assert audit_count(conn) == before


def test_a_system_admin_without_a_realm_lands_on_admin(browser, demo):
    browser.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    assert browser.get("/login/select-realm").headers["Location"].endswith("/admin")
    assert (
        browser.get("/login/post-authenticate").headers["Location"].endswith("/admin")
    )
    assert browser.get("/admin").headers["Location"].endswith("/admin/realms")
    page = browser.get("/admin/realms")
    assert page.status_code == 200 and 'id="admin-nav"' in page.text
