"""Generated requests against the device and admin API documents (issue 12, item 2).

A bounded, reproducible schemathesis run, in-process over WSGI: every
operation of both documents gets a fixed number of generated requests with a
fixed seed (``derandomize``), and each answer must not be a server error,
must have a documented status and must match the documented body. The enx-
redirect serves HTML and association files and has no OpenAPI document.
"""

from __future__ import annotations

import collections
import traceback

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from api.admin.app import create_app as admin_app
from api.device.app import create_app as device_app
from models.realms.apikeys import KeyType, create_api_key
from tests.issuing import make_realm

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# About 20 operations x 2 modes x 30 cases: about a minute in-process.
BOUNDED = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


CASES = collections.Counter()


@pytest.fixture(scope="module", autouse=True)
def report_cases():
    """Print how many cases ran, for the record (pytest -s)."""
    yield
    print(f"\nschemathesis: {dict(CASES)} generated cases")


@pytest.fixture
def keys(conn, services):
    """One key of each type in a fresh realm."""
    realm_id = make_realm(conn, "Generated", allow_bulk_upload=True)
    return {
        kind: create_api_key(
            conn, services.secrets, realm_id=realm_id, name=kind.name, key_type=kind
        )[0]
        for kind in KeyType
    }


def operations(app) -> list:
    """Every operation of the document ``app`` serves, bound to ``app``."""
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def run_operation(operation, headers_for) -> None:
    """Send bounded, seeded valid and invalid requests to one operation."""
    for mode in GenerationMode:
        try:
            run_mode(operation, headers_for, mode)
        except Unsatisfiable:
            # Nothing to make invalid (no parameters, no body): /health etc.
            assert mode is GenerationMode.NEGATIVE, operation.path


def run_mode(operation, headers_for, mode: GenerationMode) -> None:
    """One seeded hypothesis run of ``mode`` cases against ``operation``."""

    @BOUNDED
    @given(case=operation.as_strategy(generation_mode=mode))
    def generated(case):
        CASES[mode.value] += 1
        case.call_and_validate(headers=headers_for(case), checks=CHECKS)

    generated()


def test_device_api_conforms_to_its_document(services, keys):
    headers = {"X-API-Key": keys[KeyType.DEVICE]}
    for operation in operations(device_app(services)):
        run_operation(operation, lambda case: headers)


def test_admin_api_conforms_to_its_document(services, keys):
    def headers_for(case):
        stats = case.path.startswith("/api/stats/")
        return {"X-API-Key": keys[KeyType.STATS if stats else KeyType.ADMIN]}

    for operation in operations(admin_app(services)):
        run_operation(operation, headers_for)


def test_the_run_can_fail(services, keys):
    """A server error on a documented operation fails the run (it is not vacuous)."""
    app = device_app(services)

    class Broken:
        def on_get(self, req, resp):
            raise RuntimeError("boom")

    app.add_route("/health", Broken())
    (health,) = [op for op in operations(app) if op.path == "/health"]
    with pytest.raises(BaseException) as info:  # schemathesis raises a group
        run_operation(health, lambda case: {})
    assert "ServerError" in "".join(traceback.format_exception(info.value))
