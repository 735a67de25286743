"""The look (issue 10): vendored assets, favicon, menus, Markdown, banners."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import falcon
import falcon.testing

from models.accounts.rbac import Permission
from ui import chrome
from ui.i18n import load_catalogues
from ui.render import make_lookup
from ui.richtext import markdown_html
from ui.web import Pages

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    "**Hello** [docs](https://example.org/d) <script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>\n\n'
    "[j](javascript:alert(4)) [J](JaVaScRiPt:alert(5)) [d](data:text/html,hi)"
)


class _Markup(HTMLParser):
    """Collect the tags and attributes of an HTML fragment."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def test_markdown_keeps_formatting_and_strips_active_content():
    html = markdown_html(HOSTILE)
    markup = _Markup(html)
    assert "strong" in markup.tags and "a" in markup.tags
    assert "script" not in markup.tags and "img" not in markup.tags
    assert not [name for name, _ in markup.attrs if name.startswith("on")]
    hrefs = [value for name, value in markup.attrs if name == "href"]
    assert hrefs == ["https://example.org/d"]
    assert "<script" not in html
    assert markdown_html("   ") == "" and markdown_html(None) == ""


def test_welcome_message_is_sanitised_markdown_shown_once(signed_in, conn, demo):
    conn.execute(
        "UPDATE realms SET welcome_message = %s WHERE id = %s", (HOSTILE, demo.realm_id)
    )
    first = signed_in.get("/codes/issue")
    assert first.status_code == 200
    box = re.search(
        r'<div class="welcome[^"]*" id="welcome-message">(.*?)</div>', first.text, re.S
    )
    assert box is not None
    assert "<strong>Hello</strong>" in box.group(1)
    markup = _Markup(box.group(1))
    assert "script" not in markup.tags and "img" not in markup.tags
    assert all(not v.lower().startswith("javascript") for _, v in markup.attrs)
    assert not [name for name, _ in markup.attrs if name.startswith("on")]
    # Once per session per realm selection (§10.10).
    assert 'id="welcome-message"' not in signed_in.get("/codes/issue").text


def test_favicon_is_ours(browser):
    result = browser.client.simulate_get("/favicon.ico")
    assert result.status_code == 200
    assert result.headers["Content-Type"] == "image/x-icon"
    assert result.content[:4] == b"\x00\x00\x01\x00"
    assert "Set-Cookie" not in result.headers  # bare: no session for an icon


def test_every_asset_the_shell_links_is_served(browser):
    page = browser.get("/")
    refs = set(
        re.findall(r'(?:href|src)="(/(?:static/[^"]+|favicon\.ico))"', page.text)
    )
    assert any("/vendor/bootstrap-5.3." in ref for ref in refs)
    assert any("bootstrap-icons" in ref for ref in refs)
    for ref in sorted(refs):
        assert browser.client.simulate_get(ref).status_code == 200, ref
    css = browser.get("/static/vendor/bootstrap-icons-1.13.2/bootstrap-icons.min.css")
    font = re.search(r'url\("(fonts/[^"?]+\.woff2)', css.text).group(1)
    woff2 = browser.client.simulate_get(f"/static/vendor/bootstrap-icons-1.13.2/{font}")
    assert woff2.status_code == 200 and woff2.headers["Content-Type"] == "font/woff2"
    # No third-party origin anywhere: the strict CSP would refuse it anyway.
    assert "https://" not in re.sub(r'content="[^"]*"', "", page.text.split("<body")[0])


def test_vendored_toolkits_keep_their_licences():
    vendor = ROOT / "ui" / "static" / "vendor"
    for folder in (p for p in vendor.iterdir() if p.is_dir()):
        assert (folder / "LICENSE").read_text().startswith("The MIT License"), folder
    assert "5.3.9" in (vendor / "README.md").read_text()


def test_package_data_ships_every_static_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["ui"]
    static = ROOT / "ui" / "static"
    files = [
        p.relative_to(ROOT / "ui").as_posix() for p in static.rglob("*") if p.is_file()
    ]
    assert files
    # setuptools' "**/" is zero or more folders; fnmatch's * crosses "/".
    globs = [p.replace("**/", "") for p in patterns] + [
        p.replace("**/", "*/") for p in patterns
    ]
    missing = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert missing == []


def _menu_links(text: str, menu: str) -> list[str]:
    block = re.search(
        rf'id="{menu}".*?<ul class="dropdown-menu[^"]*"[^>]*>(.*?)</ul>', text, re.S
    )
    return (
        re.findall(r'class="dropdown-item[^"]*" href="([^"]+)"', block.group(1))
        if block
        else []
    )


def test_realm_admin_menu_follows_permissions(signed_in, conn, demo):
    everything = _menu_links(signed_in.get("/codes/issue").text, "realm-menu")
    assert everything == [path for _, path, _, _ in chrome.REALM_ADMIN_LINKS]
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(Permission.CODE_ISSUE | Permission.API_KEY_READ), demo.realm_id),
    )
    page = signed_in.get("/codes/issue").text
    assert _menu_links(page, "realm-menu") == ["/realm/apikeys"]
    assert 'id="system-menu"' not in page
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(Permission.CODE_ISSUE), demo.realm_id),
    )
    page = signed_in.get("/codes/issue").text
    assert 'id="realm-menu"' not in page
    assert 'id="user-menu"' in page and 'id="signout"' in page


def test_system_admin_menu_for_system_admins(signed_in, conn, demo):
    conn.execute(
        "UPDATE users SET system_admin = true WHERE email = %s",
        (demo.realm_admin["email"],),
    )
    links = _menu_links(signed_in.get("/codes/issue").text, "system-menu")
    assert links[0] == "/admin/realms" and "/admin/info" in links
    assert all(link.startswith("/admin/") for link in links)


def _render_anonymous(pages: Pages) -> str:
    req = falcon.testing.create_req(path="/")
    resp = falcon.Response()
    pages.render(req, resp, "errors/404.mako", message="Not Found")
    return resp.text


def test_system_notice_is_markdown_with_maintenance_first():
    notice = chrome.system_notice_html(
        "**Planned** downtime <script>x()</script>", True
    )
    assert notice.startswith(f"<p>{chrome.MAINTENANCE_NOTICE}</p>")
    assert "<strong>Planned</strong>" in notice and "<script" not in notice
    assert chrome.system_notice_html("", False) == ""
    page = _render_anonymous(Pages(make_lookup(), load_catalogues(), notice))
    assert 'class="system-notice' in page and "<strong>Planned</strong>" in page


def test_realm_banners(demo, conn):
    from dataclasses import replace
    from decimal import Decimal

    from db.queries.realms.core import get_realm

    def t(message_id, *args):
        return message_id + (" " + " ".join(args) if args else "")

    realm = get_realm(conn, demo.realm_id)
    everything = lambda perm: True  # noqa: E731
    assert chrome.realm_banners(realm, everything, {}, t) == []
    # Contact addresses only matter when the emailer is on (§1.4).
    no_contact = replace(realm, contact_email_addresses=[])
    links = [
        b[0] for b in chrome.realm_banners(no_contact, everything, {"emailer": True}, t)
    ]
    assert links == ["/realm/settings#general"]
    reader = lambda perm: perm == Permission.SETTINGS_READ  # noqa: E731
    assert chrome.realm_banners(no_contact, reader, {"emailer": True}, t) == []
    # Yesterday's claim ratio far below the mean: a banner for stats readers.
    low = replace(
        realm,
        last_codes_claimed_ratio=Decimal("0.2"),
        codes_claimed_ratio_mean=Decimal("0.8"),
        codes_claimed_ratio_stddev=Decimal("0.05"),
    )
    (banner,) = chrome.realm_banners(low, everything, {}, t)
    assert banner[0] == "/realm/stats" and "20.0%" in banner[1] and "80.0%" in banner[1]
    assert chrome.realm_banners(low, reader, {}, t) == []
