"""Session cookie codec and session values."""

from __future__ import annotations

import datetime as dt
import os

from models.accounts.sessions import CookieCodec, Session

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def test_round_trip_and_rotation():
    old, new = os.urandom(64), os.urandom(64)
    sealed = CookieCodec([old], 3600).encode({"uid": 7}, NOW)
    # After rotation the new key writes and the old one still reads.
    rotated = CookieCodec([new, old], 3600)
    assert rotated.decode(sealed, NOW) == {"uid": 7}
    assert CookieCodec([new], 3600).decode(sealed, NOW) is None


def test_stale_or_forged_cookie_is_refused():
    codec = CookieCodec([os.urandom(64)], 3600)
    sealed = codec.encode({"uid": 7}, NOW)
    assert codec.decode(sealed, NOW + dt.timedelta(seconds=3601)) is None
    assert (
        codec.decode(sealed[:-2] + ("AA" if sealed[-2:] != "AA" else "BB"), NOW) is None
    )
    assert codec.decode("not base64 !!", NOW) is None
    assert codec.decode("", NOW) is None


def test_payload_is_not_readable():
    sealed = CookieCodec([os.urandom(64)], 3600).encode({"email": "x@example.com"}, NOW)
    assert b"example" not in sealed.encode()


def test_flashes_dedupe_sort_and_empty_on_read():
    session = Session()
    session.flash("error", "b thing")
    session.flash("error", "A thing")
    session.flash("error", "b thing")
    assert session.take_flashes()["error"] == ["A thing", "b thing"]
    assert session.take_flashes() == {"alert": [], "warning": [], "error": []}


def test_sign_out_keeps_flashes_only():
    session = Session()
    session.sign_in(1, "a@example.com", NOW, mfa=True)
    session.flash("alert", "bye")
    session.sign_out()
    assert session.user_id is None
    assert session.take_flashes()["alert"] == ["bye"]


def test_timeouts():
    session = Session()
    session.sign_in(1, "a@example.com", NOW, mfa=False)
    session.touch(NOW)
    assert not session.idle_expired(NOW + dt.timedelta(minutes=20), 1200)
    assert session.idle_expired(NOW + dt.timedelta(minutes=20, seconds=1), 1200)
    assert not session.absolute_expired(NOW + dt.timedelta(hours=20), 72000)
    assert session.absolute_expired(NOW + dt.timedelta(hours=20, seconds=1), 72000)
    assert session.fresh(NOW + dt.timedelta(minutes=5))
    assert not session.fresh(NOW + dt.timedelta(minutes=5, seconds=1))


def test_csrf_masking():
    session = Session()
    first, second = session.masked_csrf(), session.masked_csrf()
    assert first != second
    assert session.csrf_valid(first) and session.csrf_valid(second)
    assert not session.csrf_valid(Session().masked_csrf())
    assert not session.csrf_valid("short")
    assert not session.csrf_valid(None)
