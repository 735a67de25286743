"""The bulk-issue receipt, downloaded in Chromium, carries no live formulas."""

from __future__ import annotations

import pytest

from tests.ui.browser import expect, shoot, to_issue_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FORMULA = "=cmd|' /C calc'!A0"
AT_SUM = "@SUM(1+1)"


def test_receipt_neutralises_formula_cells(page, server, demo_db, tmp_path, fake_sms):
    _, creds = demo_db
    upload = tmp_path / "attack.csv"
    upload.write_text(f"+12065550001,{FORMULA},,\n{AT_SUM},,,\n+12065550002,,,\n")
    to_issue_page(page, server, creds)
    page.goto(server + "/codes/bulk-issue")
    page.set_input_files("#csv", str(upload))
    page.click("#bulk-start")
    expect(page.locator("#bulk-percent")).to_have_text("100%", timeout=60_000)
    assert page.inner_text("#bulk-ok") == "1"
    shoot(page, "bulk-receipt")
    with page.expect_download() as download:
        page.click("#bulk-receipt")
    rows = [
        line.split(",")
        for line in open(download.value.path(), encoding="utf-8").read().splitlines()
    ]
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells
    assert "'" + AT_SUM in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "@", "\t", "\r")]
    # A plain E.164 number is a number, not a formula: kept for re-upload.
    assert "+12065550002" in cells
