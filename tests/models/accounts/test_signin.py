"""Password rotation and revocation rules of the built-in provider."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from db.rows import User
from models.accounts import signin

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
USER = User(
    id=1,
    created_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    updated_at=NOW,
    email="a@example.com",
    name="A",
    system_admin=False,
    last_password_change=NOW - dt.timedelta(days=20),
    password_hash=None,
    email_verified_at=None,
    sessions_valid_after=None,
    failed_logins=0,
    locked_until=None,
)


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (dt.timedelta(days=3, hours=5), "Password Change Required In 3 Days."),
        (dt.timedelta(days=1, hours=23), "Password Change Required In 47 Hours."),
        (dt.timedelta(hours=1, minutes=59), "Password Change Required Soon."),
    ],
)
def test_rotation_warning_text(left, text):
    assert signin.rotation_warning(left) == text


def test_rotation_status():
    assert signin.rotation_status(USER, 0, 5, NOW) == ("ok", None)
    assert signin.rotation_status(USER, 30, 5, NOW)[0] == "ok"
    assert signin.rotation_status(USER, 24, 5, NOW)[0] == "warn"
    assert signin.rotation_status(USER, 20, 5, NOW)[0] == "expired"


def test_pre_2018_password_dates_count_from_creation():
    old = replace(USER, last_password_change=dt.datetime(2010, 1, 1, tzinfo=dt.UTC))
    assert signin.password_changed_at(old) == USER.created_at


def test_revocation_compares_auth_time():
    revoked_at = NOW + dt.timedelta(seconds=0.4)
    user = replace(USER, sessions_valid_after=revoked_at)
    assert signin.is_revoked(user, NOW - dt.timedelta(seconds=1))
    # Same second, earlier: revoked (issue 19; whole seconds let it live).
    assert signin.is_revoked(user, NOW)
    assert signin.is_revoked(user, revoked_at - dt.timedelta(microseconds=1))
    assert not signin.is_revoked(user, revoked_at)
    assert not signin.is_revoked(USER, NOW)
    assert signin.is_revoked(USER, None)
