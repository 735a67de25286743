import base64
import datetime as dt

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from models.codes import sms
from models.codes.phone import canonical_phone
from models.errors import DomainError, ErrorCode
from tests.issuing import TWILIO_SID
from tests.support import vectors


@pytest.mark.parametrize("entry", vectors("phone_canonicalisation"))
def test_phone_canonicalisation_vectors(entry):
    if entry.get("expected_error"):
        with pytest.raises(DomainError) as info:
            canonical_phone(entry["phone"], entry["default_region"])
        assert info.value.code == entry["expected_error_code"]
        assert info.value.message.startswith(entry["expected_error_prefix"])
    else:
        assert (
            canonical_phone(entry["phone"], entry["default_region"])
            == entry["expected_e164"]
        )


@pytest.mark.parametrize("entry", vectors("sms_text_rendering"))
def test_sms_rendering_vectors(entry):
    text = sms.render_sms(
        entry["template"],
        code=entry["code"],
        long_code=entry["long_code"],
        region_code=entry["region_code"],
        short_ttl=entry["code_duration_minutes"] * 60,
        long_ttl=entry["long_code_duration_hours"] * 3600,
        enx_redirect_domain=entry["enx_redirect_domain"],
    )
    assert text == entry["expected"]


def test_legacy_enslink_without_a_redirect_domain():
    text = sms.render_sms(
        "[enslink] [region]",
        code="1",
        long_code="abc",
        region_code="US-WA",
        short_ttl=900,
        long_ttl=86400,
        enx_redirect_domain="",
    )
    assert text == "ens://v?r=US-WA&c=abc US-WA"


@pytest.mark.parametrize("entry", vectors("sms_signing_string"))
def test_sms_signing_string_vectors(entry):
    # Python zones stop at ±24h; any other zone proves the UTC formatting.
    offset = max(-86399, min(86399, entry["input_zone_offset_seconds"]))
    zone = dt.timezone(dt.timedelta(seconds=offset))
    at = dt.datetime.fromtimestamp(entry["unix_time"], zone)
    got = sms.signing_string(entry["purpose"], entry["phone"], at, entry["body"])
    assert got == entry["expected_signing_string"]


@pytest.mark.parametrize("entry", vectors("sms_signature_structure"))
def test_sms_signature_vectors(entry):
    key = ec.generate_private_key(ec.SECP256R1())
    at = dt.datetime.fromtimestamp(entry["unix_time"], dt.UTC)
    message = sms.sign_sms(
        entry["body"],
        phone=entry["phone"],
        at=at,
        purpose=entry["purpose"],
        kid=entry["key_id"],
        sign=lambda data: key.sign(data, ec.ECDSA(hashes.SHA256())),
    )
    assert message.startswith(entry["expected_message_prefix"])
    parts = message.split(":")
    assert len(parts) == entry["expected_colon_split_parts"]
    assert parts[:3] == [
        entry["expected_part0"],
        entry["expected_part1"],
        entry["expected_part2"],
    ]
    assert "=" not in parts[3]
    der = base64.b64decode(parts[3] + "=" * (-len(parts[3]) % 4))
    key.public_key().verify(
        der, entry["expected_signed_string"].encode(), ec.ECDSA(hashes.SHA256())
    )


def test_signing_purpose_is_case_insensitive():
    assert sms.signing_purpose("User-Report") == "User Report"
    assert sms.signing_purpose("confirmed") == "EN Report"


PROVIDER = sms.SmsProvider(TWILIO_SID, "s3cr3t", "+15005550006", "MG" + "1" * 32)


def test_client_sends_a_form_with_basic_auth(fake_sms):
    client = sms.SmsClient(fake_sms.url, timeout=2)
    client.send(PROVIDER, to="+12068675309", body="hi [x]", sender="+15005550006")
    [msg] = fake_sms.messages
    assert (msg.to, msg.body, msg.sender) == ("+12068675309", "hi [x]", "+15005550006")
    assert msg.auth == (TWILIO_SID, "s3cr3t")
    client.send(PROVIDER, to="+1", body="b", sender=PROVIDER.sender(True))
    assert fake_sms.messages[-1].sender == "MG" + "1" * 32


@pytest.mark.parametrize(
    ("mode", "code", "provider_code"),
    [
        ("queue_full", ErrorCode.SMS_QUEUE_FULL, "21611"),
        ("invalid_number", ErrorCode.PHONE_NUMBER_INVALID, "21211"),
        ("server_error", ErrorCode.SMS_FAILURE, ""),
    ],
)
def test_client_maps_provider_errors(fake_sms, mode, code, provider_code):
    fake_sms.mode = mode
    with pytest.raises(sms.SmsSendError) as info:
        sms.SmsClient(fake_sms.url, timeout=2).send(
            PROVIDER, to="+1", body="b", sender="+1"
        )
    assert (info.value.code, info.value.provider_code) == (code, provider_code)
    assert info.value.status == 400


def test_client_times_out_as_sms_failure(fake_sms):
    fake_sms.mode, fake_sms.hang_seconds = "hang", 2
    with pytest.raises(sms.SmsSendError) as info:
        sms.SmsClient(fake_sms.url, timeout=0.2).send(
            PROVIDER, to="+1", body="b", sender="+1"
        )
    assert info.value.code == ErrorCode.SMS_FAILURE
    assert "Timeout" in info.value.message


def test_provider_repr_hides_the_token():
    assert "s3cr3t" not in repr(PROVIDER)
