"""The end-to-end prober: a full code → token → certificate → publish exchange.

It drives the public APIs exactly as a health authority and a phone would
(operations §7), so the stats and audit rows it causes are the ordinary ones
of the e2e realm. Each step's latency is measured; the first failed step
stops the round with :class:`E2EFailure`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import psycopg

from db.queries.duties import e2e as q
from db.queries.realms.core import insert_realm, update_realm
from db.queries.realms.mobile_apps import list_realm_apps, upsert_mobile_app
from models import audit
from models.duties.jsonclient import JsonClient, JsonClientError
from models.duties.statspull import key_server_base
from models.realms.apikeys import KeyType, create_api_key
from models.redirect.rules import OS_ANDROID, OS_IOS
from models.secrets import Secrets

SYSTEM_TEST = audit.Actor("system_test:1", "SystemTest")
TEST_PHONE = "+18558361987"
HEALTH_AUTHORITY_ID = "e2e-test"
TIMEOUT = 60.0
# negative | confirmed | likely | user-report
E2E_TEST_TYPES = 8 | 2 | 4 | 16
SCENARIOS = {
    "default": ("confirmed",),
    "revise": ("likely", "confirmed"),
    "user-report": ("user-report",),
}


class E2EFailure(RuntimeError):
    """One step of the exchange failed."""

    def __init__(self, step: str, message: str, timings: dict[str, float]):
        super().__init__(f"{step}: {message}")
        self.step, self.timings = step, timings


@dataclass
class RoundResult:
    """Latency per step (ms) of one successful round."""

    scenario: str
    timings: dict[str, float] = field(default_factory=dict)
    published: int = 0


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the surfaces the prober drives."""

    adminapi: str
    apiserver: str
    key_server: str


def tek_hmac(secret: bytes, teks: list[dict]) -> str:
    """Return the base64 HMAC-SHA256 of the sorted TEK segments (protocol §7.5)."""
    segments = sorted(
        f"{t['key']}.{t['rollingStartNumber']}.{t['rollingPeriod']}"
        f".{t['transmissionRisk']}"
        for t in teks
    )
    digest = hmac.new(secret, ",".join(segments).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def make_teks(now: dt.datetime, count: int = 14, rand=os.urandom) -> list[dict]:
    """Return ``count`` random TEKs, one per day back from today (UTC)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today_interval = int(midnight.timestamp()) // 600
    return [
        {
            "key": base64.b64encode(rand(16)).decode(),
            "rollingStartNumber": today_interval - 144 * i,
            "rollingPeriod": 144,
            "transmissionRisk": 0,
        }
        for i in range(count)
    ]


def ensure_e2e_realm(conn: psycopg.Connection) -> int:
    """Find or create the e2e realm and force the settings the prober needs."""
    with conn.transaction():
        realm_id = q.e2e_realm_id(conn)
        if realm_id is None:
            realm_id = insert_realm(
                conn, q.E2E_REALM_NAME, region_code="E2E-TEST", is_e2e=True
            )
            audit.record(
                conn,
                realm_id=realm_id,
                actor=SYSTEM_TEST,
                action="created realm",
                target_id=f"realms:{realm_id}",
                target_display=q.E2E_REALM_NAME,
            )
        update_realm(
            conn,
            realm_id,
            allowed_test_types=E2E_TEST_TYPES,
            allow_bulk_upload=True,
            allow_admin_user_report=True,
            # The user-report round has no SMS provider: it asks for the text.
            allow_generated_sms=True,
        )
        _ensure_apps(conn, realm_id)
    return realm_id


def _ensure_apps(conn: psycopg.Connection, realm_id: int) -> None:
    """Give the e2e realm one iOS and one Android app, for the redirect round.

    Names and ids follow operations §7 (one shared random tag); they are made
    once and kept, so the redirect round has stable association files.
    """
    if list_realm_apps(conn, realm_id):
        return
    tag = secrets.token_hex(3)
    for os_kind, name, url, sha in (
        (OS_IOS, f"e2e-ios-{tag}", "https://ios.test.app", ""),
        (OS_ANDROID, f"e2e-android-{tag}", "https://android.test.app", tag + "A" * 89),
    ):
        upsert_mobile_app(
            conn,
            realm_id=realm_id,
            name=name,
            os=os_kind,
            app_id=f"{name}.com.test.app",
            url=url,
            sha=sha,
        )


class _Keys:
    """Temporary admin and device API keys for one round, deleted after it."""

    def __init__(self, conn: psycopg.Connection, secrets_: Secrets, realm_id: int):
        tag = secrets.token_hex(3)
        with conn.transaction():
            self.admin, admin_id = create_api_key(
                conn,
                secrets_,
                realm_id=realm_id,
                name=f"e2e-admin-key.{tag}",
                key_type=KeyType.ADMIN,
            )
            self.device, device_id = create_api_key(
                conn,
                secrets_,
                realm_id=realm_id,
                name=f"e2e-device-key.{tag}",
                key_type=KeyType.DEVICE,
            )
        self.ids = [admin_id, device_id]


def run_round(
    conn: psycopg.Connection,
    secrets_: Secrets,
    endpoints: Endpoints,
    scenario: str,
    *,
    now: dt.datetime,
    timer: Callable[[], float] = time.perf_counter,
) -> RoundResult:
    """Run one scenario end to end; raise E2EFailure at the first bad step."""
    realm_id = ensure_e2e_realm(conn)
    if scenario == "user-report":
        hashes = secrets_.hmac_all(conn, "phone_number_database_hmac", TEST_PHONE)
        with conn.transaction():
            # Deleted as the NullActor: no audit entry for the prober's cleanup.
            q.delete_user_reports(conn, phone_hashes=hashes)
    keys = _Keys(conn, secrets_, realm_id)
    result = RoundResult(scenario)
    clients = {
        "admin": JsonClient(
            endpoints.adminapi, user_agent="en/e2e-client", api_key=keys.admin,
            timeout=TIMEOUT,
        ),
        "device": JsonClient(
            endpoints.apiserver, user_agent="en/e2e-client", api_key=keys.device,
            timeout=TIMEOUT,
        ),
        "keys": JsonClient(
            key_server_base(endpoints.key_server), user_agent="en/e2e-client",
            timeout=TIMEOUT,
        ),
    }  # fmt: skip
    try:
        _exchange(clients, scenario, result, now=now, timer=timer)
    finally:
        for client in clients.values():
            client.close()
        with conn.transaction():
            q.delete_authorized_apps(conn, ids=keys.ids)
    return result


def _exchange(clients, scenario: str, result: RoundResult, *, now, timer) -> None:
    teks = make_teks(now)
    symptom = (now - dt.timedelta(hours=48)).date().isoformat()
    revision_token = ""

    def step(label: str, client: str, path: str, body: dict, check) -> dict:
        started = timer()
        try:
            _status, data = clients[client].call("POST", path, body)
            problem = check(data)
        except JsonClientError as ex:
            problem = str(ex)
        result.timings[label] = round((timer() - started) * 1000, 3)
        if problem:
            raise E2EFailure(label, problem, dict(result.timings))
        return data

    for iteration, test_type in enumerate(SCENARIOS[scenario]):
        suffix = "" if iteration == 0 else f"#{iteration + 1}"
        issue = {
            "testType": test_type,
            "symptomDate": symptom,
            "tzOffset": 0,
            "externalIssuerID": "",
        }
        if test_type == "user-report":
            issue.update(phone=TEST_PHONE, onlyGenerateSMS=True)
        issued = step(
            "/api/issue" + suffix, "admin", "/api/issue", issue,
            lambda d: "" if d.get("code") and d.get("uuid") else "no code issued",
        )  # fmt: skip
        verified = step(
            "/api/verify" + suffix, "device", "/api/verify", {"code": issued["code"]},
            lambda d: "" if d.get("token") else "no token",
        )  # fmt: skip
        step(
            "/api/checkcodestatus" + suffix, "admin", "/api/checkcodestatus",
            {"uuid": issued["uuid"]},
            lambda d: "" if d.get("claimed") is True else "code not marked claimed",
        )  # fmt: skip
        started = timer()
        secret = secrets.token_bytes(32)
        mac = tek_hmac(secret, teks)
        result.timings["hmac" + suffix] = round((timer() - started) * 1000, 3)
        certified = step(
            "/api/certificate" + suffix, "device", "/api/certificate",
            {"token": verified["token"], "ekeyhmac": mac},
            lambda d: "" if d.get("certificate") else "no certificate",
        )  # fmt: skip
        published = step(
            "upload_to_key_server" + suffix, "keys", "/v1/publish",
            {
                "temporaryExposureKeys": teks,
                "healthAuthorityID": HEALTH_AUTHORITY_ID,
                "verificationPayload": certified["certificate"],
                "hmacKey": base64.b64encode(secret).decode(),
                "revisionToken": revision_token,
            },
            lambda d: "",
        )  # fmt: skip
        result.published += int(published.get("insertedExposures") or 0)
        revision_token = published.get("revisionToken", "")
        # A revision adds today's newest key on top of the ones sent before.
        teks = teks + make_teks(now, count=1)
