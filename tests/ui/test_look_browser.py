"""The look in Chromium: every page at both widths, with layout facts that fail.

Screenshots go to tests/.artifacts/screenshots (see tests/ui/browser.py).
"""

from __future__ import annotations

import urllib.request

import psycopg
import pytest

from models.accounts.rbac import Permission
from tests.ui.browser import (
    expect,
    screenshot_dir,
    shoot,
    sign_in,
    to_issue_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


WELCOME = (
    "**Welcome** to the demo realm. Read the [handbook](https://example.org/h).\n\n"
    "<script>document.title='owned'</script> <img src=x onerror=alert(1)>\n\n"
    "[click me](javascript:alert(1))"
)


READ_ONLY_PAGE = """<%inherit file="/base.mako"/>
<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">
<input id="name" name="name"><button id="save" type="submit">Save</button></form>
<a id="drop" href="/x" data-method="DELETE">Delete</a>
<form method="get" action="/y"><input id="q" name="q"></form>
"""


def render_page(template: str, path: str, **values) -> str:
    """Render a UI template outside a request, as the anonymous visitor."""
    import falcon
    import falcon.testing

    from ui.i18n import load_catalogues
    from ui.render import make_lookup
    from ui.web import Pages

    lookup = make_lookup()
    lookup.put_string("test/read_only.mako", READ_ONLY_PAGE)
    req = falcon.testing.create_req(path=path)
    resp = falcon.Response()
    Pages(lookup, load_catalogues()).render(req, resp, template, **values)
    return resp.text


def _serve(html: str):
    """Return a route handler answering with ``html``."""
    return lambda route, _request: route.fulfill(body=html, content_type="text/html")


def _box(page, selector):
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def _below(page, lower, upper):
    """Say whether ``lower`` starts under the bottom edge of ``upper``."""
    return (
        _box(page, lower)["y"]
        >= _box(page, upper)["y"] + _box(page, upper)["height"] - 1
    )


def _colour(page, selector, prop):
    return page.locator(selector).first.evaluate(
        f"el => getComputedStyle(el).getPropertyValue('{prop}')"
    )


def _phone(page):
    page.set_viewport_size({"width": 390, "height": 844})


def _desktop(page):
    page.set_viewport_size({"width": 1280, "height": 900})


def test_signed_out_pages_look_right(page, server):
    _phone(page)
    page.goto(server + "/")
    # At phone width labels sit above inputs and the button below them.
    assert _below(page, "#password", "label[for=password]")
    assert _below(page, "#submit", "#password")
    assert page.locator("#submit").bounding_box()["width"] > 300
    expect(page.locator("#nav-toggler")).to_be_visible()
    _desktop(page)
    expect(page.locator("#nav-toggler")).to_be_hidden()
    css = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert css.startswith("/static/vendor/bootstrap-5.3.")
    shoot(page, "signin")
    page.goto(server + "/login/reset-password")
    shoot(page, "reset-password")
    page.goto(server + "/login/manage-account?mode=resetPassword&oobCode=bogus")
    expect(page.locator(".flash-error")).to_be_visible()
    shoot(page, "choose-password-invalid")
    page.goto(server + "/no/such/page")
    assert page.inner_text("h1") == "Not found"
    shoot(page, "error-404")
    # Our own icon, with an image type, from our own files.
    with urllib.request.urlopen(server + "/favicon.ico", timeout=10) as resp:
        assert resp.headers["Content-Type"] == "image/x-icon"
        assert resp.read(4) == b"\x00\x00\x01\x00"  # ICO header
    icons = page.locator("link[rel=icon]")
    assert icons.count() == 2 and icons.nth(1).get_attribute("type") == "image/svg+xml"


@pytest.fixture
def asking_page(chromium):
    """A page whose confirm dialogs are refused while ``page.refuse`` is set."""
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.refuse, page.dialogs, page.errors = False, [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # Console errors except HTTP statuses (a refused form answers 422 on purpose).
    page.on(
        "console",
        lambda msg: (
            page.errors.append(msg.text)
            if msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )

    def answer(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss() if page.refuse else dialog.accept()

    page.on("dialog", answer)
    yield page
    context.close()


def test_realm_admin_tour(asking_page, server, demo_db):
    page = asking_page
    dsn, creds = demo_db
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE realms SET welcome_message = %s WHERE id = %s",
            (WELCOME, creds.realm_id),
        )
    sign_in(page, server, creds.realm_admin["email"], creds.realm_admin["password"])
    page.wait_for_url("**/login/register-phone")
    shoot(page, "register-phone")
    page.click("#skip-mfa")
    page.wait_for_url("**/codes/issue")

    # The welcome message: Markdown rendered, everything active stripped.
    welcome = page.locator("#welcome-message")
    expect(welcome.locator("strong")).to_have_text("Welcome")
    expect(welcome.locator("a[href='https://example.org/h']")).to_have_count(1)
    assert welcome.locator("script, img, [onerror]").count() == 0
    assert welcome.locator("a[href^='javascript']").count() == 0
    assert page.title() != "owned"
    shoot(page, "issue")

    # Desktop: links in a row, menus drop down and are readable.
    _desktop(page)
    expect(page.locator("#nav-toggler")).to_be_hidden()
    page.click("#user-menu")
    signout = page.locator("#signout")
    expect(signout).to_be_visible()
    menu = page.locator("#user-menu + .dropdown-menu")
    assert _colour(page, "#signout", "color") != _colour(
        page, "#user-menu + .dropdown-menu", "background-color"
    )
    assert menu.bounding_box()["x"] + menu.bounding_box()["width"] <= 1280
    page.click("#realm-menu")
    realm_items = page.locator("#realm-menu + .dropdown-menu .dropdown-item")
    expect(realm_items).to_have_count(8)
    for item in realm_items.all():
        expect(item).to_be_visible()
    hrefs = [item.get_attribute("href") for item in realm_items.all()]
    assert "/realm/settings#general" in hrefs and "/realm/apikeys" in hrefs
    shoot(page, "menu-realm-admin-open")
    page.keyboard.press("Escape")

    # Phone: everything folds behind the toggler, which opens it again.
    _phone(page)
    expect(page.locator("#nav-toggler")).to_be_visible()
    expect(page.locator("#user-menu")).to_be_hidden()
    page.click("#nav-toggler")
    page.wait_for_selector("#main-nav.collapse.show")  # animation finished
    expect(page.locator("#user-menu")).to_be_visible()
    page.click("#user-menu")
    expect(signout).to_be_visible()
    assert _below(page, "#signout", "#user-menu")
    page.screenshot(path=str(screenshot_dir() / "menu-user-open-phone.png"))

    # The issue form and its SMS result panel.
    page.goto(server + "/codes/issue")
    _phone(page)
    assert _below(page, "#issue-submit", "#phone")
    page.fill("#phone", "+12065550100")
    page.click("#issue-submit")
    page.wait_for_selector("#issue-result:not([hidden])")
    expect(page.locator("#backup-label")).to_be_visible()
    expect(page.locator("#result-heading")).to_contain_text("+12065550100")
    shoot(page, "issue-result-sms")
    uuid = page.inner_text("#code-uuid").strip()

    page.goto(server + "/codes/bulk-issue")
    shoot(page, "bulk-issue")
    page.goto(server + "/codes/status")
    _phone(page)
    assert _below(page, "#status-submit", "#uuid")
    _desktop(page)
    assert not _below(page, "#status-submit", "#uuid")  # side by side when wide
    shoot(page, "status")
    page.goto(f"{server}/codes/{uuid}")
    shoot(page, "code-show-sms")
    # data-confirm: refusing the native dialog sends nothing, accepting does.
    page.refuse = True
    page.click("#expire-code")
    assert page.dialogs == ["Invalidate this code now? This cannot be undone."]
    expect(page.locator("#code-state")).to_have_text("Not yet claimed")
    page.refuse = False
    page.click("#expire-code")
    expect(page.locator(".flash-alert")).to_contain_text("Expired code.")
    assert len(page.dialogs) == 2
    with psycopg.connect(dsn) as conn:
        expired = conn.execute(
            "SELECT count(*) FROM audit_entries WHERE action = 'expired verification code'"
        ).fetchone()[0]
    assert expired == 1
    page.goto(server + "/account")
    shoot(page, "account")
    page.goto(server + "/login/change-password")
    _phone(page)
    assert _below(page, "#submit", "#password_confirm")
    shoot(page, "change-password")
    # A failed form shows a dismissible alert.
    page.fill("#current_password", "not-my-password")
    page.fill("#password", "Another-password-123!")
    page.fill("#password_confirm", "Another-password-123!")
    page.click("#submit")
    flash = page.locator(".flash-error")
    expect(flash).to_be_visible()
    shoot(page, "change-password-error")
    flash.locator(".btn-close").click()
    expect(flash).to_have_count(0)
    page.goto(server + "/login/manage-account?mode=verifyEmail")
    shoot(page, "verify-email")

    # Two realms: the chooser, and "Change realm" in the user menu.
    with psycopg.connect(dsn, autocommit=True) as conn:
        other = conn.execute(
            "INSERT INTO realms (name, region_code) VALUES ('Second Health Authority',"
            " 'US-TWO') RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO memberships (realm_id, user_id, permissions)"
            " SELECT %s, user_id, %s FROM memberships WHERE realm_id = %s",
            (other, int(Permission.CODE_ISSUE), creds.realm_id),
        )
    page.goto(server + "/login/select-realm")
    expect(page.locator("form.card")).to_have_count(2)
    shoot(page, "select-realm")

    # Without the permission: the 401 page.
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
            (int(Permission.CODE_ISSUE), creds.realm_id),
        )
    # No script error and no CSP refusal on any page of the tour.
    assert page.errors == []
    page.goto(server + "/codes/status")
    assert page.inner_text("h1") == "Unauthorized"
    expect(page.locator("#realm-menu")).to_have_count(0)
    shoot(page, "error-401")


def test_system_admin_menu_error_pages_and_read_only_controls(page, server, demo_db):
    dsn, creds = demo_db
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "UPDATE users SET system_admin = true WHERE email = %s",
            (creds.realm_admin["email"],),
        )
    to_issue_page(page, server, creds)
    _desktop(page)
    page.click("#system-menu")
    items = page.locator("#system-menu + .dropdown-menu .dropdown-item")
    expect(items).to_have_count(9)
    hrefs = [item.get_attribute("href") for item in items.all()]
    assert all(href.startswith("/admin/") for href in hrefs)
    expect(items.first).to_be_visible()
    shoot(page, "menu-system-admin-open")
    # 400 and 500 are hard to provoke from a browser: render them with the
    # real templates and show them under the server's origin (same CSS).
    for status, message in ((400, "missing realm"), (500, "Internal Server Error")):
        html = render_page(
            "errors/400.mako" if status == 400 else "errors/500.mako",
            f"/__error/{status}",
            status=status,
            title=str(status),
            message=message,
        )
        page.route(f"{server}/__error/{status}", _serve(html))
        page.goto(f"{server}/__error/{status}")
        expect(page.locator(".error-code")).to_contain_text(str(status))
        expect(page.locator(".app-navbar")).to_be_visible()
        shoot(page, f"error-{status}")
    # Read-only members (disabled_controls): write forms and action links are
    # disabled by app.js, look-ups (GET forms) stay usable.
    html = render_page("test/read_only.mako", "/__read-only", disabled_controls=True)
    page.route(f"{server}/__read-only", _serve(html))
    page.goto(f"{server}/__read-only")
    expect(page.locator("#name")).to_be_disabled()
    expect(page.locator("#save")).to_be_disabled()
    expect(page.locator("#drop")).to_have_attribute("aria-disabled", "true")
    expect(page.locator("#q")).to_be_enabled()
