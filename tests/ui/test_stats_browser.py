"""The statistics page and the audit log in headless Chromium (issue 11).

The page's script may not be evaluated from the test (our CSP blocks it), so
the test reads what the script wrote (``data-drawn``) and what Chromium
painted (the canvas's screenshot has many colours; a blank one has one).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import psycopg
import pytest

from models.stats.rows import COMPOSITE_CSV, KEY_SERVER_CSV, REALM_CSV
from tests.stats_seed import seed_week
from tests.ui.browser import VIEWPORTS, expect, screenshot_dir, to_issue_page
from tests.ui.pixels import colours

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADERS = {
    "/stats/realm.csv": ",".join(REALM_CSV),
    "/stats/realm/composite.csv": ",".join(COMPOSITE_CSV),
    "/stats/realm/users.csv": "date,realm_id,user_id,name,email,codes_issued",
    "/stats/realm/external-issuers.csv": "date,realm_id,issuer_id,codes_issued",
    "/stats/realm/sms-errors.csv": "date,realm_id,error_code,quantity",
    "/stats/realm/key-server.csv": ",".join(KEY_SERVER_CSV),
}
CHARTS = [
    "codes",
    "invalid-os",
    "user-report",
    "user-report-os",
    "token-source",
    "claim-age",
    "claim-mean",
    "sms-errors",
    "publish-os",
    "teks",
    "tek-age",
    "onset",
]


def _seed(dsn: str, realm_id: int):
    today = dt.datetime.now(dt.UTC).date()
    with psycopg.connect(dsn, autocommit=True) as conn, conn.transaction():
        seeded = seed_week(conn, realm_id, today)
        conn.execute(
            "INSERT INTO key_server_stats (realm_id, key_server_url_override)"
            " VALUES (%s, 'https://keys.example.org')",
            (realm_id,),
        )
        for n in range(3, 7):  # settled days: ended more than 48 hours ago
            conn.execute(
                "INSERT INTO key_server_stats_days (realm_id, day, publish_requests,"
                " total_teks_published, revision_requests, tek_age_distribution,"
                " onset_to_upload_distribution, request_missing_onset_date)"
                " VALUES (%s, %s, %s, %s, 1, %s, %s, 0)",
                (
                    realm_id,
                    dt.datetime.combine(
                        today - dt.timedelta(days=n), dt.time(), dt.UTC
                    ),
                    [2, 5 + n, 4],
                    40 + n,
                    [n % 5 + 1] * 17,
                    [1 + (i % 4) for i in range(31)],
                ),
            )
    return seeded


def _wait_drawn(page) -> None:
    for chart in CHARTS:
        expect(page.locator(f'canvas[data-chart="{chart}"]')).to_have_attribute(
            "data-drawn", re.compile(r"^[1-9][0-9.]*$")
        )
    for table in ("per-user", "external-issuers"):
        expect(page.locator(f'table[data-table="{table}"]')).to_have_attribute(
            "data-drawn", re.compile(r"^[1-9]")
        )


def test_stats_page_draws_every_chart_and_exports_download(page, server, demo_db):
    dsn, creds = demo_db
    seeded = _seed(dsn, creds.realm_id)
    to_issue_page(page, server, creds)
    shots = screenshot_dir()
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(server + "/realm/stats")
        _wait_drawn(page)
        page.screenshot(path=str(shots / f"realm-stats-{label}.png"), full_page=True)

    # What was drawn is the data, not an empty frame.
    codes = page.locator('canvas[data-chart="codes"]')
    drawn = float(codes.get_attribute("data-drawn"))
    assert drawn == (
        seeded.codes_issued
        + seeded.codes_claimed
        + seeded.codes_invalid
        + seeded.tokens_claimed
        + sum(2 + 5 + n + 4 for n in range(3, 7))  # publish requests
    )
    for chart in ("codes", "claim-age", "tek-age"):
        canvas = page.locator(f'canvas[data-chart="{chart}"]')
        assert colours(canvas.screenshot()) > 20, chart
    assert colours(page.locator("#smoothing").screenshot()) < colours(
        codes.screenshot()
    )
    # Smoothing over one day redraws the histogram from today alone.
    page.select_option("#smoothing", "1")
    expect(page.locator('canvas[data-chart="claim-age"]')).to_have_attribute(
        "data-drawn", "1"
    )
    assert page.is_visible("#key-server-url")

    # The per-user table opens a day to its issuers.
    first_day = page.locator('table[data-table="per-user"] tbody tr').first
    first_day.locator("button").click()
    expect(page.locator(".stats-detail").first).to_contain_text("demo-admin@example")

    # Each export downloads (section links) with its header row.
    with page.expect_download() as info:
        page.click('#section-codes a[href="/stats/realm/composite.csv"]')
    download = info.value
    assert re.fullmatch(r"\d{14}-composite-stats\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8") as handle:
        assert handle.readline().strip() == HEADERS["/stats/realm/composite.csv"]
    for path, header in HEADERS.items():
        response = page.request.get(server + path)
        assert response.status == 200, path
        assert response.headers["content-disposition"].startswith("attachment;")
        rows = list(csv.reader(io.StringIO(response.text())))
        assert ",".join(rows[0]) == header, path
        assert len(rows) > 1, path
    for path in (
        f"/stats/realm/users/{seeded.user_id}.csv",
        f"/stats/realm/api-keys/{seeded.app_id}.csv",
    ):
        response = page.request.get(server + path)
        assert response.text().splitlines()[0].startswith("date,"), path


def test_events_page_lists_and_filters(page, server, demo_db):
    _, creds = demo_db
    to_issue_page(page, server, creds)
    page.goto(server + "/realm/events")
    expect(page.locator(".event-action").first).to_be_visible()
    actions = page.locator(".event-action").all_inner_texts()
    assert "created realm" in actions
    shots = screenshot_dir()
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(shots / f"realm-events-{label}.png"), full_page=True)
    page.fill("#from", "2000-01-01T00:00")
    page.fill("#to", "2000-01-02T00:00")
    page.click("#events-apply")
    expect(page.locator("#events-empty")).to_be_visible()
    assert "from=2000-01-01T00%3A00" in page.url
