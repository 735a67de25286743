"""Every link in the navigation opens a page: no 404 in any menu (issues 10, 11)."""

from __future__ import annotations

import re

import pytest

NAV = re.compile(r"<nav\b.*?</nav>", re.S)
HREF = re.compile(r'href="(/[^"#]*)')


def _nav_links(html: str) -> list[str]:
    links = []
    for block in NAV.findall(html):
        links += [h for h in HREF.findall(block) if h not in ("/signout",)]
    return sorted(set(links))


def _lands(client, link: str, hops: int = 3) -> int:
    """Follow up to ``hops`` redirects; return the final status."""
    result = client.get(link)
    while result.status_code in (302, 303) and hops:
        result, hops = client.get(result.headers["Location"]), hops - 1
    return result.status_code


@pytest.fixture
def skipped_mfa(signed_in):
    """The demo realm admin past the MFA prompt, on a realm page."""
    # "Continue without" on the MFA prompt is a link through post-authenticate.
    result = signed_in.get("/login/post-authenticate")
    assert result.status_code == 303, result.text
    return signed_in


def test_every_realm_admin_menu_link_answers(skipped_mfa):
    page = skipped_mfa.get("/codes/issue")
    assert page.status_code == 200, page.text[:300]
    links = _nav_links(page.text)
    # The realm admin's menus: case work, realm administration, account.
    for expected in (
        "/codes/issue",
        "/realm/settings",
        "/realm/keys",
        "/realm/sms-keys",
        "/realm/users",
        "/realm/apikeys",
        "/realm/mobile-apps",
        "/realm/stats",
        "/realm/events",
        "/account",
    ):
        assert expected in links, (expected, links)
    for link in links:
        assert _lands(skipped_mfa, link) == 200, link


def test_every_system_admin_menu_link_answers(browser, demo):
    result = browser.sign_in(demo.system_admin["email"], demo.system_admin["password"])
    assert result.status_code == 303
    page = browser.get("/admin/realms")
    assert page.status_code == 200
    links = [link for link in _nav_links(page.text) if link.startswith("/admin")]
    assert len(links) >= 8, links
    for link in links:
        assert _lands(browser, link) == 200, link
