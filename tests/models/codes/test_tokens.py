import base64
import datetime as dt
import hashlib
import hmac

import pytest

from models.codes.certificate import check_tek_hmac, symptom_onset_interval
from models.codes.tokens import Memo, Subject, new_token_id, parse_subject
from models.errors import DomainError
from models.stats.counters import OperatingSystem, claim_age_buckets, detect_os
from tests.support import vectors


@pytest.mark.parametrize(
    "case", vectors("token_subject_parsing"), ids=lambda c: c["sub"]
)
def test_token_subject_parsing_vectors(case):
    if "error_contains" in case:
        with pytest.raises(ValueError, match=case["error_contains"]):
            parse_subject(case["sub"])
        return
    parsed = parse_subject(case["sub"])
    expected = case["expected"]
    assert parsed.test_type == expected["test_type"]
    assert (parsed.symptom_date and parsed.symptom_date.isoformat()) == (
        expected["symptom_date"]
    )
    assert (parsed.test_date and parsed.test_date.isoformat()) == expected["test_date"]


def test_subject_round_trips_in_the_three_part_form():
    subject = Subject("likely", None, dt.date(2020, 7, 8))
    assert subject.format() == "likely..2020-07-08"
    assert parse_subject(subject.format()) == subject
    assert Subject("negative", None, None).format() == "negative.."
    with pytest.raises(ValueError):
        parse_subject("confirmed.2020-7-7")


@pytest.mark.parametrize(
    "case", vectors("symptom_onset_interval"), ids=lambda c: c["symptom_date"]
)
def test_symptom_onset_interval_vectors(case):
    day = dt.date.fromisoformat(case["symptom_date"])
    assert symptom_onset_interval(day) == case["expected_symptom_onset_interval"]


def tek_hmac(secret: bytes, teks: list[dict], with_risk: bool = True) -> str:
    """Recompute ekeyhmac as a key server does (protocol §7.5)."""
    segments = []
    for tek in teks:
        fields = [tek["key"], tek["rollingStartIntervalNumber"], tek["rollingPeriod"]]
        if with_risk:
            fields.append(tek["transmissionRisk"])
        segments.append(".".join(str(f) for f in fields))
    plaintext = ",".join(sorted(segments, key=lambda s: s.split(".")[0].encode()))
    digest = hmac.new(secret, plaintext.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@pytest.mark.parametrize("case", vectors("tek_hmac"), ids=lambda c: c["form"][:9])
def test_tek_hmac_vectors_and_they_pass_the_length_check(case):
    secret = bytes.fromhex(case["secret_hex"])
    value = tek_hmac(secret, case["teks"], with_risk=case["form"] == "standard")
    assert value == case["expected_ekeyhmac_b64std"]
    check_tek_hmac(value)  # 32 bytes: accepted as sent


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "want: 32 got: 0"),
        (base64.b64encode(b"x" * 31).decode(), "want: 32 got: 31"),
        ("..45", "not a valid base64"),
    ],
)
def test_tek_hmac_must_be_32_bytes_of_base64(value, message):
    with pytest.raises(DomainError, match=message) as info:
        check_tek_hmac(value)
    assert info.value.code == "hmac_invalid"


def test_tek_hmac_accepts_url_alphabet_without_padding():
    check_tek_hmac(base64.urlsafe_b64encode(b"\xfb" * 32).decode().rstrip("="))


@pytest.mark.parametrize(
    "case", vectors("stats_os_detection"), ids=lambda c: c["expected_os"]
)
def test_os_detection_vectors(case):
    assert detect_os(case["user_agent"]) == OperatingSystem(case["expected_os_index"])


@pytest.mark.parametrize(
    ("age", "bucket"),
    [(0, 0), (60, 0), (61, 1), (900, 2), (3600, 4), (86400, 9), (86401, 10)],
)
def test_claim_age_lands_in_the_first_bucket_it_fits(age, bucket):
    delta = claim_age_buckets(age)
    assert len(delta) == 11 and delta[bucket] == 1 and sum(delta) == 1


def test_claims_older_than_two_weeks_land_in_no_bucket():
    assert sum(claim_age_buckets(14 * 86400 + 1)) == 0


def test_token_ids_are_128_chars_of_unpadded_standard_base64():
    token_id = new_token_id()
    assert len(token_id) == 128 and "=" not in token_id
    assert len(base64.b64decode(token_id)) == 96


def test_memo_expires_and_does_not_cache_none():
    now = [0.0]
    memo = Memo(10, monotonic=lambda: now[0])
    calls = []
    assert memo.get("k", lambda: calls.append(1) or None) is None
    assert memo.get("k", lambda: calls.append(1) or "v") == "v"
    assert memo.get("k", lambda: "other") == "v"
    now[0] = 11
    assert memo.get("k", lambda: "fresh") == "fresh"
    assert len(calls) == 2
