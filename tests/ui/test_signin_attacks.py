"""Issue 19, written as the attacks on sign-in: telling accounts apart by the
lockout answer, replaying TOTP codes, outliving a revocation in the same
second, guessing through change-password, planting a CSRF token, and broken
``redir`` values."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import pytest

from models.accounts import mfa
from models.accounts.sessions import COOKIE_NAME
from tests.ui.client import UiClient

_CSRF_VALUE = re.compile(
    r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]+"'
)


def _user_id(conn, email: str) -> int:
    return conn.execute("SELECT id FROM users WHERE email = %s", (email,)).fetchone()[0]


def _answer(client: UiClient, email: str, password: str) -> tuple:
    """Everything a client sees of one failed sign-in (CSRF mask aside)."""
    result = client.sign_in(email, password)
    page = client.follow(result)
    return (
        result.status,
        result.headers.get("Location"),
        result.content,
        len(result.cookies[COOKIE_NAME].value),
        page.status,
        _CSRF_VALUE.sub(r'\1"-"', page.text),
    )


# 3. Lockout: same text, status and shape for real and unknown accounts.


def test_lockout_answers_for_real_and_unknown_accounts_are_identical(app, demo):
    real, ghost = UiClient(app), UiClient(app)
    email = demo.realm_admin["email"]
    for attempt in range(7):
        seen_real = _answer(real, email, f"wrong-{attempt}")
        seen_ghost = _answer(ghost, "ghost@example.com", f"wrong-{attempt}")
        assert seen_real == seen_ghost, attempt
        expected = "Too many" if attempt >= 4 else "Sign-in failed"
        assert expected in seen_real[-1]
    # A locked real account refuses its right password with the same answer.
    locked = _answer(real, email, demo.realm_admin["password"])
    assert locked == _answer(ghost, "ghost@example.com", "Right-Pass-1")


def test_old_failures_are_forgotten_alike_for_real_and_unknown(app, demo, clock):
    real, ghost = UiClient(app), UiClient(app)
    email = demo.realm_admin["email"]
    for attempt in range(4):
        _answer(real, email, f"wrong-{attempt}")
        _answer(ghost, "ghost@example.com", f"wrong-{attempt}")
    clock.advance(hours=25)
    seen_real = _answer(real, email, "wrong-again")
    assert seen_real == _answer(ghost, "ghost@example.com", "wrong-again")
    assert "Sign-in failed" in seen_real[-1]


def test_failed_sign_in_is_post_redirect_get(browser, demo):
    result = browser.sign_in(demo.realm_admin["email"], "bad")
    assert result.status_code == 303 and result.headers["Location"].endswith("/")
    page = browser.follow(result)
    assert page.status_code == 200
    for element in ('id="email"', 'id="password"', 'id="submit"'):
        assert element in page.text
    assert "Sign-in failed. Please try again." in page.text


# 4. A TOTP code signs in once.


@pytest.fixture
def totp(conn, ui_services, demo, clock):
    secret = mfa.new_secret()
    mfa.confirm_factor(
        conn,
        ui_services.envelope,
        user_id=_user_id(conn, demo.realm_admin["email"]),
        display_name="phone",
        secret=secret,
        code=pyotp.TOTP(secret).at(clock.now()),
        now=clock.now(),
    )
    return pyotp.TOTP(secret)


def _second_step(app, demo, code: str):
    client = UiClient(app)
    step = client.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert step.status_code == 200 and 'name="totp"' in step.text
    return client.form("/session", {"totp": code})


def test_replayed_totp_code_is_refused_in_a_second_session(app, demo, totp, clock):
    code = totp.at(clock.now())
    assert _second_step(app, demo, code).headers["Location"].endswith("/select-realm")
    replay = _second_step(app, demo, code)
    assert replay.status_code == 303 and replay.headers["Location"].endswith("/")


def test_previous_step_code_counts_once_and_not_after_a_newer_one(
    app, demo, totp, clock
):
    previous = totp.at(clock.now() - dt.timedelta(seconds=30))
    assert (
        _second_step(app, demo, previous).headers["Location"].endswith("/select-realm")
    )
    assert _second_step(app, demo, previous).headers["Location"].endswith("/")
    current = totp.at(clock.now())
    assert (
        _second_step(app, demo, current).headers["Location"].endswith("/select-realm")
    )
    # Once the current step was used, an unused older code is refused too.
    clock.advance(seconds=30)
    older = totp.at(clock.now() - dt.timedelta(seconds=30))
    assert older == current
    assert _second_step(app, demo, older).headers["Location"].endswith("/")


# 5. Revocation to the microsecond, lockout on change-password, CSRF, redir.


def test_session_from_the_same_second_as_a_sign_out_is_revoked(app, demo, clock):
    email, password = demo.realm_admin["email"], demo.realm_admin["password"]
    victim_session, other = UiClient(app), UiClient(app)
    clock.advance(milliseconds=100)
    assert victim_session.sign_in(email, password).status_code == 303
    clock.advance(milliseconds=400)  # same wall-clock second
    other.sign_in(email, password)
    other.get("/signout")
    answer = victim_session.get("/account")
    assert answer.status_code == 303
    assert "logged out from another session" in victim_session.follow(answer).text


def test_session_from_the_same_second_as_a_password_change_is_revoked(app, demo, clock):
    email, password = demo.realm_admin["email"], demo.realm_admin["password"]
    stolen, owner = UiClient(app), UiClient(app)
    clock.advance(milliseconds=100)
    stolen.sign_in(email, password)
    owner.sign_in(email, password)
    clock.advance(milliseconds=500)
    owner.get("/login/change-password")
    changed = owner.form(
        "/login/change-password",
        {
            "current_password": password,
            "password": "Changed-Pass-2",
            "password_confirm": "Changed-Pass-2",
        },
    )
    assert changed.status_code == 303
    assert stolen.get("/account").status_code == 303
    assert owner.get("/account").status_code == 200  # renewed at the change


def test_wrong_current_passwords_count_toward_lockout(app, signed_in, demo):
    for attempt in range(5):
        signed_in.get("/login/change-password")
        guess = signed_in.form(
            "/login/change-password",
            {
                "current_password": f"guess-{attempt}",
                "password": "Guessed-Pass-1",
                "password_confirm": "Guessed-Pass-1",
            },
        )
        assert guess.status_code == 422
    assert "Too many unsuccessful attempts" in guess.text
    fresh = UiClient(app)
    answer = fresh.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
    assert "Too many unsuccessful attempts" in fresh.follow(answer).text


def test_csrf_token_from_before_sign_in_is_refused_after(browser, demo):
    browser.get("/")
    planted = browser.csrf
    assert (
        browser.sign_in(demo.realm_admin["email"], demo.realm_admin["password"])
        .headers["Location"]
        .endswith("/login/select-realm")
    )
    browser.csrf = planted
    refused = browser.form("/login/change-password", {"current_password": "x"})
    assert refused.status_code == 401
    browser.get("/login/change-password")
    assert browser.csrf != planted
    ok = browser.form("/login/change-password", {"current_password": "x"})
    assert ok.status_code == 422  # past CSRF, refused on its merits


MALFORMED = [
    "login/register-phone\r\nSet-Cookie: x=1",
    "\r\n",
    "https://evil.example/login/register-phone",
    "//evil.example",
    "/\\evil.example",
    "login/register-phone\x00",
]


@pytest.mark.parametrize("redir", MALFORMED)
def test_malformed_redir_goes_home(signed_in, demo, redir):
    page = signed_in.get("/login", params={"redir": redir})
    assert page.status_code == 303 and page.headers["Location"].endswith("/")
    assert "evil" not in page.headers["Location"]
    signed_in.get("/login?redir=login/register-phone")
    result = signed_in.form(
        "/session",
        {
            "redir": redir,
            "email": demo.realm_admin["email"],
            "password": demo.realm_admin["password"],
        },
    )
    assert result.status_code == 303
    assert result.headers["Location"].endswith("/login/select-realm")
    signed_in.get("/login?redir=login/register-phone")  # a form, a fresh token
    failed = signed_in.form(
        "/session", {"redir": redir, "email": "x@example.com", "password": "bad"}
    )
    assert failed.status_code == 303 and "evil" not in failed.headers["Location"]


@pytest.mark.parametrize(
    "query", ["redir=%0D%0A", "redir=%0d%0aLocation:%20//x", "redir"]
)
def test_raw_query_redir_never_errors(browser, query):
    answer = browser.get("/login", query_string=query)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/")
