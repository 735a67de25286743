"""Sign-in, lockout, sessions, CSRF and the shell (through falcon's TestClient)."""

from __future__ import annotations

import pyotp

from models.accounts import mfa
from models.accounts.sessions import COOKIE_NAME


def test_signin_page_renders_with_security_headers(browser):
    result = browser.get("/")
    assert result.status_code == 200
    assert 'name="csrf_token"' in result.text
    assert "script-src 'self'" in result.headers["Content-Security-Policy"]
    assert result.headers["X-Frame-Options"] == "DENY"
    cookie = result.cookies[COOKIE_NAME]
    assert cookie.http_only and cookie.same_site.lower() == "strict"


def test_demo_admin_signs_in_and_lands_on_issue_page(signed_in):
    result = signed_in.get("/login/post-authenticate")
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/codes/issue")
    page = signed_in.get("/codes/issue")
    assert page.status_code == 200
    assert "Bulk issue codes" in page.text  # nav by permission
    assert 'href="/realm/users"' in page.text


def _refused(browser, email: str, password: str) -> str:
    """Sign in, expect the post/redirect/get answer, return the page's text."""
    result = browser.sign_in(email, password)
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/")
    return browser.follow(result).text


def test_wrong_password_is_refused(browser, demo):
    text = _refused(browser, demo.realm_admin["email"], "nope")
    assert "Sign-in failed. Please try again." in text
    assert browser.get("/codes/issue").headers["Location"].endswith("/")


def test_unknown_email_gives_the_same_answer(browser, demo):
    text = _refused(browser, "nobody@example.com", "Whatever-1")
    assert "Sign-in failed. Please try again." in text


def test_lockout_after_max_failures_then_unlock(browser, demo, clock):
    email, good = demo.realm_admin["email"], demo.realm_admin["password"]
    for _ in range(4):
        assert "Sign-in failed" in _refused(browser, email, "bad")
    assert "Too many unsuccessful attempts" in _refused(browser, email, "bad")
    # Locked: even the right password is refused.
    assert "Too many unsuccessful attempts" in _refused(browser, email, good)
    clock.advance(minutes=15, seconds=1)
    assert browser.sign_in(email, good).status_code == 303


def test_success_resets_failure_counter(browser, demo, conn):
    email, good = demo.realm_admin["email"], demo.realm_admin["password"]
    for _ in range(4):
        browser.sign_in(email, "bad")
    assert browser.sign_in(email, good).status_code == 303
    row = conn.execute(
        "SELECT failed_logins, locked_until FROM users WHERE email = %s", (email,)
    ).fetchone()
    assert row == (0, None)


def test_post_without_csrf_token_is_refused(browser, demo):
    browser.get("/")
    result = browser.form(
        "/session",
        {"email": demo.realm_admin["email"], "password": demo.realm_admin["password"]},
        csrf=False,
    )
    assert result.status_code == 401
    assert "Unauthorized" in result.text


def test_csrf_token_of_another_session_is_refused(app, browser, demo):
    from tests.ui.client import UiClient

    other = UiClient(app)
    other.get("/")
    browser.get("/")
    browser.csrf = other.csrf
    result = browser.form("/session", {"email": "x@example.com", "password": "y"})
    assert result.status_code == 401


def test_json_csrf_failure_answers_json(signed_in):
    result = signed_in.json("/codes/issue", {"testType": "confirmed"}, csrf=False)
    assert result.status_code == 401
    assert result.json == {"error": "unauthorized"}


def test_masked_token_changes_per_render_but_both_work(signed_in):
    signed_in.get("/codes/issue")
    first = signed_in.csrf
    signed_in.get("/codes/issue")
    assert signed_in.csrf != first
    signed_in.csrf = first
    result = signed_in.json("/codes/issue", {"testType": "confirmed"})
    assert result.status_code == 200


def test_idle_timeout_signs_out(signed_in, clock):
    clock.advance(minutes=21)
    result = signed_in.get("/codes/issue")
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/")
    assert "expired due to inactivity" in signed_in.get("/").text


def test_activity_keeps_session_alive(signed_in, clock):
    for _ in range(3):
        clock.advance(minutes=15)
        assert signed_in.get("/codes/issue").status_code == 200


def test_absolute_timeout_signs_out_despite_activity(signed_in, clock):
    for _ in range(int(20 * 60 / 19)):
        clock.advance(minutes=19)
        signed_in.get("/account")
    clock.advance(minutes=19)
    result = signed_in.get("/codes/issue")
    assert result.status_code == 303
    assert "Your session has expired." in signed_in.get("/").text


def test_signout_revokes_every_session_of_the_user(app, demo, signed_in, clock):
    from tests.ui.client import UiClient

    other = UiClient(app)
    other.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert other.get("/account").status_code == 200
    clock.advance(seconds=2)
    signed_in.get("/signout")
    result = other.get("/account")
    assert result.status_code == 303
    assert "logged out from another session" in other.get("/").text


def test_tampered_cookie_gives_a_fresh_session(signed_in):
    value = signed_in.cookies[COOKIE_NAME]
    signed_in.cookies[COOKIE_NAME] = value[:-4] + (
        "AAAA" if value[-4:] != "AAAA" else "BBBB"
    )
    assert signed_in.get("/account").status_code == 303


def test_totp_second_step(browser, demo, conn, ui_services, clock):
    user_id = conn.execute(
        "SELECT id FROM users WHERE email = %s", (demo.realm_admin["email"],)
    ).fetchone()[0]
    secret = mfa.new_secret()
    mfa.confirm_factor(
        conn,
        ui_services.envelope,
        user_id=user_id,
        display_name="phone",
        secret=secret,
        code=pyotp.TOTP(secret).at(clock.now()),
        now=clock.now(),
    )
    step = browser.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert step.status_code == 200 and 'name="totp"' in step.text
    wrong = browser.form("/session", {"totp": "000000"})
    assert wrong.status_code == 303
    assert "Sign-in failed" in browser.follow(wrong).text
    browser.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    ok = browser.form("/session", {"totp": pyotp.TOTP(secret).at(clock.now())})
    assert ok.status_code == 303
    assert browser.get("/account").status_code == 200


def test_method_override_from_form_body(signed_in, demo):
    # A form POST saying DELETE reaches on_delete of the MFA page.
    result = signed_in.form(
        "/login/register-phone", {"_method": "DELETE", "factor": "9"}
    )
    assert result.status_code == 303
    assert "No such authenticator." in signed_in.get("/login/register-phone").text


def test_errors_are_content_negotiated(browser):
    assert "<h1>Not found</h1>" in browser.get("/nope").text
    as_json = browser.get("/nope", headers={"Accept": "application/json"})
    assert as_json.status_code == 404 and as_json.json == "Not Found"
    plain = browser.get("/nope", headers={"Accept": "*/*"})
    assert plain.text == "Not Found"


def test_spanish_by_accept_language_and_lang_param(browser):
    assert (
        "Iniciar sesión"
        in browser.get("/", headers={"Accept-Language": "es-MX,en;q=0.5"}).text
    )
    assert "Iniciar sesión" in browser.get("/?lang=es").text
    # An unknown tag is skipped; the next candidate (German) is a UI locale.
    german = browser.get("/", headers={"Accept-Language": "xx, de;q=0.9"}).text
    assert 'lang="de"' in german
    # zh-HK is a web-view locale only: the UI answers in English.
    chinese = browser.get("/", headers={"Accept-Language": "zh-HK"}).text
    assert 'lang="en"' in chinese and "<title>Sign in" in chinese


def test_static_assets_are_local(browser):
    result = browser.get("/static/app.js")
    assert result.status_code == 200
    assert "X-CSRF-Token" in result.text
