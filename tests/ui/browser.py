"""Helpers of the browser tests: Chromium flags, sign-in steps, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Long enough for six argon2 sign-ins on a loaded shared box.
LOCKOUT_SECONDS = 8
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


def expect(locator):
    """Playwright's auto-retrying assertions (no page-side eval under our CSP)."""
    from playwright.sync_api import expect as pw_expect

    return pw_expect(locator)


def sign_in(page, base, email, password):
    """Fill the sign-in form and submit it."""
    page.goto(base + "/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#submit")


def to_issue_page(page, base, creds):
    """Sign in as the demo realm admin, skip MFA, land on /codes/issue."""
    sign_in(page, base, creds.realm_admin["email"], creds.realm_admin["password"])
    # Demo realm MFA mode is "prompt": asked once, then allowed through.
    page.wait_for_url("**/login/register-phone")
    page.click("#skip-mfa")
    page.wait_for_url("**/codes/issue")


def screenshot_dir() -> Path:
    """Where screenshots go (artefacts of the run, never committed)."""
    default = Path(__file__).resolve().parents[1] / ".artifacts" / "screenshots"
    path = Path(os.environ.get("ENCV_SCREENSHOT_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


def shoot(page, name: str) -> list[Path]:
    """Screenshot the current page at desktop and phone width; return the files."""
    original = page.viewport_size
    files = []
    for label, (width, height) in VIEWPORTS.items():
        page.set_viewport_size({"width": width, "height": height})
        target = screenshot_dir() / f"{name}-{label}.png"
        page.screenshot(path=str(target), full_page=True)
        files.append(target)
    if original:
        page.set_viewport_size(original)
    return files
