"""e2e_job against the real adminapi and apiserver under gunicorn.

NOTE(orch): this needs the device and admin APIs (protocol §4, §5) from the
device and admin branches (merged into main, and main into orch).
"""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from orchestration.duties.e2e import e2e_job
from tests.fakes.key_server import FakeKeyServer
from tests.support import TEST_KEK, gunicorn

pytestmark = pytest.mark.slow


def _system_keys(db) -> dict:
    rows = db.execute(
        "SELECT c.kid, v.public_key_pem FROM system_certificate_keys c"
        " JOIN key_versions v ON v.name = c.key_version_id"
    ).fetchall()
    return {kid: serialization.load_pem_public_key(pem.encode()) for kid, pem in rows}


def test_e2e_job_runs_every_round_against_the_real_apis(db, encv, fresh_db):
    env = {
        "DATABASE_URL": fresh_db,
        "ENCV_KEK": TEST_KEK,
        "RATE_LIMIT_TYPE": "noop",
        "ENCV_DATA_DIR": "/tmp/encv-test-data",
    }
    now = dt.datetime.now(dt.UTC)  # the APIs use the real clock; so must we
    with (
        gunicorn("api.admin.app:get_app()", env) as adminapi,
        gunicorn("api.device.app:get_app()", env) as apiserver,
        FakeKeyServer(
            issuer="diagnosis-verification-example",
            audience="exposure-notifications-server",
            keys=_system_keys(db),
        ) as key_server,
    ):
        result = e2e_job.execute_in_process(
            resources={
                "encv": encv(
                    now,
                    ENCV_E2E_ADMINAPI_URL=adminapi,
                    ENCV_E2E_APISERVER_URL=apiserver,
                    ENCV_KEY_SERVER_URL=key_server.url,
                )
            },
            raise_on_error=False,
        )
        failures = [
            e.event_specific_data.error.message
            for e in result.all_events
            if e.is_step_failure
        ]
        assert result.success, failures
        assert len(key_server.published) == 4
        assert {p["claims"]["reportType"] for p in key_server.published} == {
            "confirmed",
            "likely",
            "user-report",
        }
    issued, claimed, tokens = db.execute(
        "SELECT sum(s.codes_issued), sum(s.codes_claimed), sum(s.tokens_claimed)"
        " FROM realm_stats s JOIN realms r ON r.id = s.realm_id WHERE r.is_e2e"
    ).fetchone()
    assert (issued, claimed, tokens) == (4, 4, 4)
