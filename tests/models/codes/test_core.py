import datetime as dt
import re

import pytest

from models.codes import core as codes
from models.errors import DomainError, ErrorCode
from tests.support import vectors

NOW = dt.datetime(2020, 8, 1, 15, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("entry", vectors("accept_expansion"))
def test_accept_expansion_vectors(entry):
    if "expected_error" in entry:
        with pytest.raises(DomainError) as info:
            codes.expand_accept(entry["accept"])
        assert info.value.message == entry["expected_error"]
        assert info.value.code == entry["expected_error_code"]
        assert info.value.status == entry["expected_status"]
    else:
        assert (
            sorted(codes.expand_accept(entry["accept"]))
            == entry["expected_accepted_set"]
        )


@pytest.mark.parametrize("entry", vectors("date_window_validation"))
def test_date_window_vectors(entry):
    now = dt.datetime.fromisoformat(entry["max"] + "T12:00:00+00:00")
    days = (
        dt.date.fromisoformat(entry["max"]) - dt.date.fromisoformat(entry["min"])
    ).days
    call = lambda: codes.parse_issue_date(  # noqa: E731
        "test", entry["date"], now, days, entry["tz_offset_minutes"]
    )
    if entry["expected_valid"]:
        assert call().isoformat() == entry["expected_date"]
    else:
        with pytest.raises(DomainError) as info:
            call()
        assert info.value.code == ErrorCode.INVALID_DATE
        assert "test date must be on/after" in info.value.message


def test_bad_date_format_is_unparsable():
    with pytest.raises(DomainError) as info:
        codes.parse_issue_date("symptom", "08/01/2020", NOW, 28)
    assert info.value.code == ErrorCode.UNPARSABLE_REQUEST
    assert info.value.message.startswith("failed to process symptom onset date")


@pytest.mark.parametrize("entry", vectors("code_generation_properties"))
def test_generated_codes_have_the_right_shape(entry):
    gen = (
        codes.generate_short_code
        if entry["kind"] == "short"
        else codes.generate_long_code
    )
    charset = re.escape(entry["expected_charset"])
    for _ in range(entry["samples"]):
        value = gen(entry["length"])
        assert re.fullmatch(f"[{charset}]{{{entry['expected_length']}}}", value)


def _new(**kw):
    base = dict(
        realm_id=1,
        test_type="confirmed",
        symptom_date=None,
        test_date=None,
        short_length=8,
        long_length=16,
        short_ttl=900,
        long_ttl=86400,
    )
    base.update(kw)
    return codes.NewCode(**base)


def test_insert_stores_only_hmacs_and_finds_both_codes(conn, services):
    issued = codes.insert_code(conn, services.secrets, _new(), NOW)
    row = conn.execute(
        "SELECT code, long_code, expires_at, long_expires_at FROM"
        " verification_codes WHERE id = %s",
        (issued.id,),
    ).fetchone()
    assert issued.code not in row[0] and issued.long_code not in row[1]
    assert row[2] == NOW + dt.timedelta(seconds=900)
    assert row[3] == NOW + dt.timedelta(seconds=86400)
    found, long_matched = codes.find_code_for_claim(
        conn, services.secrets, 1, issued.code
    )
    assert found.id == issued.id and not long_matched
    found, long_matched = codes.find_code_for_claim(
        conn, services.secrets, 1, issued.long_code
    )
    assert found.id == issued.id and long_matched
    assert codes.find_code_for_claim(conn, services.secrets, 2, issued.code) is None


def test_reused_uuid_is_409(conn, services):
    uuid = "9f1c2a52-5c54-4d8a-8a49-2d8c37b1b0a1"
    codes.insert_code(conn, services.secrets, _new(uuid=uuid), NOW)
    with pytest.raises(DomainError) as info:
        codes.insert_code(conn, services.secrets, _new(uuid=uuid.upper()), NOW)
    assert info.value.status == 409 and info.value.code == ErrorCode.UUID_ALREADY_EXISTS


def test_collisions_are_retried(conn, services, monkeypatch):
    values = iter(["12345678", "12345678", "87654321"])
    monkeypatch.setattr(codes, "generate_short_code", lambda n: next(values))
    sleeps = []
    first = codes.insert_code(conn, services.secrets, _new(), NOW)
    second = codes.insert_code(
        conn, services.secrets, _new(), NOW, retry_sleep=sleeps.append
    )
    assert first.code == "12345678" and second.code == "87654321" and sleeps == [0.05]


def test_status_and_expire(conn, services):
    issued = codes.insert_code(conn, services.secrets, _new(), NOW)
    assert codes.code_status(conn, 1, issued.uuid).claimed is False
    with pytest.raises(DomainError) as info:
        codes.code_status(conn, 2, issued.uuid)
    assert info.value.status == 404 and info.value.code == ErrorCode.CODE_NOT_FOUND
    with pytest.raises(DomainError):
        codes.code_status(conn, 1, "not-a-uuid")
    later = NOW + dt.timedelta(minutes=1)
    expired = codes.expire_code(conn, 1, issued.uuid, later)
    assert expired.expires_at == later == expired.long_expires_at
    # Expiring again is a no-op success.
    assert (
        codes.expire_code(conn, 1, issued.uuid, later + dt.timedelta(seconds=1)).id
        == issued.id
    )


def test_long_codes_spell_the_drawn_number_in_base_36():
    # 36**3 - 1 is "999" (the last symbol thrice); 1 is "b" then two "a".
    assert codes.generate_long_code(3, lambda bound: bound - 1) == "999"
    assert codes.generate_long_code(3, lambda bound: 1) == "baa"
    assert codes.generate_long_code(16, lambda bound: 0) == "a" * 16
    bounds = []
    codes.generate_long_code(16, lambda bound: bounds.append(bound) or 0)
    assert bounds == [36**16]


def test_long_codes_use_every_symbol_in_every_position():
    seen = [set() for _ in range(8)]
    for _ in range(2000):
        for position, char in enumerate(codes.generate_long_code(8)):
            seen[position].add(char)
    assert all(len(s) == 36 for s in seen)
