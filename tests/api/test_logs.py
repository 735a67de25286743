"""JSON logs: one request's lines carry its id, and so does the SMS it sends."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from types import SimpleNamespace

import httpx
import psycopg
import pytest

from db.crypto import Envelope
from db.secrets import SecretStore
from models.realms.bootstrap import bootstrap_demo
from models.secrets import Secrets
from tests.issuing import add_sms_config
from tests.support import TEST_KEK, free_port, make_env, wait_http

pytestmark = pytest.mark.slow
REQUEST_ID = "req-7f3a9c1e"


def test_a_request_id_follows_the_request_through_logs_and_sms(
    fresh_db, fake_sms, tmp_path
):
    envelope = Envelope(base64.b64decode(TEST_KEK))
    with psycopg.connect(fresh_db, autocommit=True) as conn:
        creds = bootstrap_demo(conn, Secrets(SecretStore(envelope)))
        add_sms_config(conn, SimpleNamespace(envelope=envelope), creds.realm_id)
    env = make_env(
        DATABASE_URL=fresh_db,
        ENCV_SMS_API_URL=fake_sms.url,
        ENCV_LOG_FORMAT="json",
        ENCV_LOG_LEVEL="INFO",
    )
    port = free_port()
    log_file = tmp_path / "adminapi.log"
    with open(log_file, "wb") as sink:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "python:encv.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "api.admin.app:get_app()",
            ],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_http(base + "/health")
            resp = httpx.post(
                base + "/api/issue",
                json={"testType": "confirmed", "phone": "+12068675309"},
                headers={"X-API-Key": creds.admin_api_key, "X-Request-ID": REQUEST_ID},
                timeout=10,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert resp.status_code == 200, resp.text
    assert resp.headers["X-Request-Id"] == REQUEST_ID
    [message] = fake_sms.messages
    assert message.request_id == REQUEST_ID

    lines = [line for line in log_file.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is JSON
    ours = [e for e in entries if e.get("request_id") == REQUEST_ID]
    access = [e for e in ours if e["logger"] == "encv.access"]
    assert len(access) == 1, entries
    assert access[0]["path"] == "/api/issue" and access[0]["status"] == 200
    assert access[0]["realm_id"] == creds.realm_id
    assert access[0]["route"] == "/api/issue"
    assert {"time", "level", "logger", "message"} <= set(access[0])
