"""The e2e prober against fake verification APIs and the fake key server.

The real surfaces are exercised by test_e2e_job.py; these tests pin the
client's side of the exchange and its failure reporting.
"""

import base64
import datetime as dt
import json
import secrets
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from models.duties import e2e
from orchestration.duties.e2e import e2e_job
from tests.fakes.http import FakeHttpServer
from tests.fakes.key_server import FakeKeyServer

ISS, AUD = "test-issuer", "test-audience"
VECTORS = json.loads(open("/work/shared/spec/vectors.json").read())


def test_tek_hmac_matches_the_key_server_vectors():
    for case in VECTORS["tek_hmac"]["entries"]:
        if case["form"] != "standard":
            continue
        teks = [
            {
                "key": t["key"],
                "rollingStartNumber": t["rollingStartIntervalNumber"],
                "rollingPeriod": t["rollingPeriod"],
                "transmissionRisk": t["transmissionRisk"],
            }
            for t in case["teks"]
        ]
        secret = bytes.fromhex(case["secret_hex"])
        assert e2e.tek_hmac(secret, teks) == case["expected_ekeyhmac_b64std"]


class FakeApis:
    """Admin + device API stand-ins that mint real ES256 certificates."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.claimed = set()
        self.seen_keys = set()
        self.http = FakeHttpServer(
            {
                ("POST", "/api/issue"): self.issue,
                ("POST", "/api/verify"): self.verify,
                ("POST", "/api/checkcodestatus"): self.status,
                ("POST", "/api/certificate"): self.certificate,
            }
        )

    def issue(self, method, path, headers, body):
        self.seen_keys.add(headers.get("x-api-key", ""))
        return 200, {"code": secrets.token_hex(4), "uuid": secrets.token_hex(8)}

    def verify(self, method, path, headers, body):
        self.claimed.add("yes")
        return 200, {"token": "tok." + json.loads(body)["code"]}

    def status(self, method, path, headers, body):
        return 200, {"claimed": bool(self.claimed)}

    def certificate(self, method, path, headers, body):
        now = int(time.time())
        claims = {
            "aud": AUD,
            "iss": ISS,
            "iat": now,
            "exp": now + 900,
            "reportType": "confirmed",
            "tekmac": json.loads(body)["ekeyhmac"],
        }
        token = jwt.encode(claims, self.key, algorithm="ES256", headers={"kid": "v1"})
        return 200, {"certificate": token}


@pytest.fixture
def apis():
    fake = FakeApis()
    with fake.http:
        yield fake


def _env(apis, key_server):
    return {
        "ENCV_E2E_ADMINAPI_URL": apis.http.url,
        "ENCV_E2E_APISERVER_URL": apis.http.url,
        "ENCV_KEY_SERVER_URL": key_server.url + "/v1/publish",
    }


def test_every_round_publishes_and_reports_latency(db, encv, apis):
    keys = {"v1": apis.key.public_key()}
    with FakeKeyServer(issuer=ISS, audience=AUD, keys=keys) as key_server:
        result = e2e_job.execute_in_process(
            resources={"encv": encv(**_env(apis, key_server))}
        )
    assert result.success
    # default 1 upload, revise 2 (the second one revising the first), user report 1
    assert len(key_server.published) == 4
    revised = key_server.published[2]["request"]
    assert revised["revisionToken"] and len(revised["temporaryExposureKeys"]) == 15
    meta = {
        e.step_key: e.event_specific_data.metadata
        for e in result.all_events
        if e.is_successful_output and e.step_key.startswith("e2e_")
    }
    assert set(meta["e2e_default"]["latency_ms"].value) == {
        "/api/issue",
        "/api/verify",
        "/api/checkcodestatus",
        "hmac",
        "/api/certificate",
        "upload_to_key_server",
    }
    assert meta["e2e_revise"]["keys_published"].value == 14 + 15
    # The temporary API keys are gone; the e2e realm stays for next time.
    assert db.execute("SELECT count(*) FROM authorized_apps").fetchone()[0] == 0
    assert db.execute(
        "SELECT region_code, is_e2e FROM realms WHERE name = 'e2e-test-realm'"
    ).fetchone() == ("E2E-TEST", True)
    assert len(apis.seen_keys) == 3  # fresh admin key per round


def test_key_server_rejection_fails_the_job_naming_the_step(db, encv, apis):
    with FakeKeyServer(
        issuer=ISS, audience=AUD, reject_publish="certificate rejected"
    ) as key_server:
        result = e2e_job.execute_in_process(
            resources={"encv": encv(**_env(apis, key_server))}, raise_on_error=False
        )
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert {e.step_key for e in failures} == {
        "e2e_default",
        "e2e_revise",
        "e2e_user_report",
    }
    error = failures[0].event_specific_data.error
    assert "upload_to_key_server" in error.message
    assert "certificate rejected" in error.message
    assert db.execute("SELECT count(*) FROM authorized_apps").fetchone()[0] == 0


def test_unconfigured_prober_fails_clearly(db, encv):
    result = e2e_job.execute_in_process(
        resources={"encv": encv()}, raise_on_error=False
    )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "ENCV_E2E_ADMINAPI_URL" in failure.event_specific_data.error.message


def test_hmac_covers_sorted_teks():
    secret = b"s" * 32
    teks = e2e.make_teks(dt.datetime(2026, 1, 1, 5, tzinfo=dt.UTC))
    assert e2e.tek_hmac(secret, teks) == e2e.tek_hmac(secret, list(reversed(teks)))
    assert teks[0]["rollingStartNumber"] == 1767225600 // 600
    assert base64.b64decode(teks[0]["key"]) and len(teks) == 14
