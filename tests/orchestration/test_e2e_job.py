"""e2e_job against the real adminapi, apiserver and enx-redirect under gunicorn."""

import datetime as dt

import pytest
from cryptography.hazmat.primitives import serialization

from orchestration.duties.e2e import e2e_enx_redirect_job, e2e_job
from tests.fakes.key_server import FakeKeyServer
from tests.support import TEST_KEK, gunicorn

pytestmark = pytest.mark.slow
E2E_HOST = "e2e-test.localhost"


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
        "ENX_REDIRECT_DOMAIN": "localhost",
        "HOSTNAME_TO_REGION": f"{E2E_HOST}:E2E-TEST",
    }
    now = dt.datetime.now(dt.UTC)  # the APIs use the real clock; so must we
    with (
        gunicorn("api.admin.app:get_app()", env) as adminapi,
        gunicorn("api.device.app:get_app()", env) as apiserver,
        gunicorn("api.redirect.app:get_app()", env, workers=1) as redirect,
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
                    ENCV_E2E_REDIRECT_URL=redirect,
                    ENCV_E2E_REDIRECT_HOST=E2E_HOST,
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
        meta = {
            e.step_key: e.event_specific_data.metadata
            for e in result.all_events
            if e.is_successful_output and e.step_key == "e2e_enx_redirect"
        }
        assert set(meta["e2e_enx_redirect"]["latency_ms"].value) == {
            "assetlinks",
            "apple-app-site-association",
            "redirect:android",
            "redirect:iphone",
            "redirect:unknown",
        }
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


def test_redirect_round_fails_with_a_clear_message_when_the_redirect_is_wrong(
    db, encv, fresh_db
):
    """A redirector that does not know the e2e host answers 404 for its files."""
    env = {
        "DATABASE_URL": fresh_db,
        "ENCV_KEK": TEST_KEK,
        "RATE_LIMIT_TYPE": "noop",
        "ENCV_DATA_DIR": "/tmp/encv-test-data",
        "ENX_REDIRECT_DOMAIN": "localhost",
        "HOSTNAME_TO_REGION": "other.localhost:US-OTHER",
    }
    with gunicorn("api.redirect.app:get_app()", env, workers=1) as redirect:
        result = e2e_enx_redirect_job.execute_in_process(
            resources={
                "encv": encv(
                    ENCV_E2E_REDIRECT_URL=redirect, ENCV_E2E_REDIRECT_HOST=E2E_HOST
                )
            },
            raise_on_error=False,
        )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    message = failure.event_specific_data.error.message
    assert "e2e enx-redirect failed at assetlinks" in message
    assert "answered 404" in message
