"""``/realm/stats``: who may see it and which chart sections it shows."""

from __future__ import annotations

import re

from models.accounts.rbac import Permission
from tests.issuing import add_sms_config

ALWAYS = ["codes", "invalid-os", "token-source", "claim-age", "per-user"]


def _sections(html: str) -> set[str]:
    return set(re.findall(r'<section class="card[^"]*" id="section-([a-z-]+)"', html))


def test_page_shows_the_sections_of_the_realm(signed_in):
    result = signed_in.get("/realm/stats")
    assert result.status_code == 200, result.text
    sections = _sections(result.text)
    # The demo realm allows user report, has no SMS provider nor key-server stats.
    assert set(ALWAYS + ["external-issuers", "user-report", "user-report-os"]) == (
        sections
    )
    assert 'data-composite-url="/stats/realm/composite.json"' in result.text
    for days in ("1", "7", "14", "28"):
        assert f'<option value="{days}"' in result.text
    assert re.search(r'<option value="7"\s+selected>', result.text)


def test_optional_sections_follow_the_realm(signed_in, conn, demo, ui_services):
    add_sms_config(conn, ui_services, demo.realm_id)
    conn.execute(
        "INSERT INTO key_server_stats (realm_id, key_server_url_override)"
        " VALUES (%s, 'https://keys.example.org')",
        (demo.realm_id,),
    )
    conn.execute(
        "UPDATE realms SET allowed_test_types = 14 WHERE id = %s", (demo.realm_id,)
    )
    html = signed_in.get("/realm/stats").text
    sections = _sections(html)
    assert {"sms-errors", "key-server"} <= sections
    assert not {"user-report", "user-report-os"} & sections
    assert "https://keys.example.org" in html
    # The override is for members who may also read the settings.
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(Permission.STATS_READ), demo.realm_id),
    )
    html = signed_in.get("/realm/stats").text
    assert "key-server" in _sections(html)
    assert "https://keys.example.org" not in html


def test_page_has_no_inline_script_and_loads_the_vendored_library(signed_in):
    html = signed_in.get("/realm/stats").text
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="/static/' in attrs for attrs in scripts)
    assert "/static/vendor/chartjs-4.6.1/chart.umd.min.js" in html
    assert " style=" not in html
    for path in (
        "/static/vendor/chartjs-4.6.1/chart.umd.min.js",
        "/static/js/stats.js",
    ):
        assert signed_in.get(path).status_code == 200, path


def test_members_without_stats_read_are_refused(signed_in, conn, demo):
    conn.execute(
        "UPDATE memberships SET permissions = %s WHERE realm_id = %s",
        (int(Permission.USER_READ | Permission.API_KEY_READ), demo.realm_id),
    )
    assert signed_in.get("/realm/stats").status_code == 401


def test_per_day_chart_def_for_detail_pages():
    from ui.render import make_lookup

    chart = make_lookup().get_template("stats/_chart.mako").get_def("per_day")
    html = chart.render(
        url="/stats/realm/api-keys/5.json",
        series=["codes_issued", "tokens_claimed"],
        title="Codes & tokens per day",
    )
    assert 'data-stats-url="/stats/realm/api-keys/5.json"' in html
    assert 'data-stats-series="codes_issued,tokens_claimed"' in html
    assert 'href="/stats/realm/api-keys/5.csv"' in html
    assert "Codes &amp; tokens per day" in html
    assert '<script src="/static/js/stats.js" defer></script>' in html
    bare = chart.render(url="/x.json", series=["codes_issued"], with_scripts=False)
    assert "<script" not in bare
