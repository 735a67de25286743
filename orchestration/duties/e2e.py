"""End-to-end prober: synthetic exchanges against the running surfaces (§7).

One job per scenario on the original's staggered cadence, plus the redirect
round and an idempotent bootstrap of the e2e realm and its apps. The probes
take no gate (operations §0) and never retry: a failed probe is the signal.
``e2e_job`` runs every round at once, gated, for `encv job e2e_job`.
The schedules run by default only where the prober is configured (key
server and API URLs, as `encv up` sets them against its stand-in).
"""

import os

from dagster import (
    Failure,
    In,
    MetadataValue,
    Nothing,
    OpExecutionContext,
    Output,
    job,
    op,
)

from models.duties import e2e, e2e_redirect, locks
from models.settings import Settings, SettingsError
from orchestration.gating import acquire_gate, duty_schedule
from orchestration.resources import EncvResource

# The original's e2e runner timed out after 120 s (operations §0).
PROBE_TAGS = {"dagster/max_runtime": "120"}


def _endpoints(encv: EncvResource) -> e2e.Endpoints:
    ops = encv.settings.ops
    missing = [
        name
        for name, value in (
            ("ENCV_E2E_ADMINAPI_URL", ops.e2e_adminapi_url),
            ("ENCV_E2E_APISERVER_URL", ops.e2e_apiserver_url),
            ("ENCV_KEY_SERVER_URL", ops.key_server_url),
        )
        if not value
    ]
    if missing:
        raise Failure(f"e2e prober is not configured: set {', '.join(missing)}")
    return e2e.Endpoints(
        ops.e2e_adminapi_url, ops.e2e_apiserver_url, ops.key_server_url
    )


def _failure(scenario: str, ex: e2e.E2EFailure) -> Failure:
    return Failure(
        description=f"e2e {scenario} failed at {ex}",
        metadata={
            "failed_step": ex.step,
            "error": str(ex),
            "latency_ms": MetadataValue.json(ex.timings),
        },
    )


def _success(result: e2e.RoundResult) -> Output:
    return Output(
        None,
        metadata={
            "success": True,
            "latency_ms": MetadataValue.json(result.timings),
            "total_ms": round(sum(result.timings.values()), 3),
            "keys_published": result.published,
        },
    )


def _round_op(scenario: str):
    @op(
        name=f"e2e_{scenario.replace('-', '_')}",
        ins={"go": In(Nothing)},
        description=f"Run the {scenario!r} exchange: issue, verify, certify, publish.",
    )
    def probe(context: OpExecutionContext, encv: EncvResource):
        endpoints = _endpoints(encv)
        with encv.connection() as conn:
            try:
                result = e2e.run_round(
                    conn, encv.services.secrets, endpoints, scenario, now=encv.now()
                )
            except e2e.E2EFailure as ex:
                raise _failure(scenario, ex) from ex
        yield _success(result)

    return probe


@op(
    ins={"go": In(Nothing)},
    description="Check the redirector: association files and per-agent 303s.",
)
def e2e_enx_redirect(context: OpExecutionContext, encv: EncvResource):
    """Run the redirect round against ENCV_E2E_REDIRECT_URL."""
    ops = encv.settings.ops
    if not ops.e2e_redirect_url:
        # As the original: optional, and without it the round does nothing.
        context.log.info("ENCV_E2E_REDIRECT_URL is not set: redirect round skipped")
        yield Output(None, metadata={"configured": False})
        return
    with encv.connection() as conn:
        e2e.ensure_e2e_realm(conn)
    try:
        result = e2e_redirect.run_redirect_round(
            ops.e2e_redirect_url, host=ops.e2e_redirect_host
        )
    except e2e.E2EFailure as ex:
        raise _failure("enx-redirect", ex) from ex
    yield _success(result)


@op(description="Find or create the e2e realm, force its settings, add its apps.")
def e2e_bootstrap(context: OpExecutionContext, encv: EncvResource):
    """Prepare the e2e realm (idempotent; every probe also checks it)."""
    with encv.connection() as conn:
        realm_id = e2e.ensure_e2e_realm(conn)
    yield Output(None, metadata={"realm_id": realm_id})


ROUND_OPS = {scenario: _round_op(scenario) for scenario in e2e.SCENARIOS}


@job(
    description="Probe the whole system with every synthetic round, gated.",
    tags={"encv/lock": locks.E2E.name},
)
def e2e_job():
    go, _skipped = acquire_gate()
    for probe in ROUND_OPS.values():
        probe(go)
    e2e_enx_redirect(go)


@op(description="Start a probe (no gate: probes may overlap, operations §7).")
def _start() -> None:
    return None


def _probe_job(name: str, probe, description: str):
    @job(name=name, description=description, tags=PROBE_TAGS)
    def probe_job():
        probe(_start())

    return probe_job


e2e_default_job = _probe_job(
    "e2e_default_job", ROUND_OPS["default"], "Probe: one confirmed exchange."
)
e2e_revise_job = _probe_job(
    "e2e_revise_job", ROUND_OPS["revise"], "Probe: a likely code, then its revision."
)
e2e_user_report_job = _probe_job(
    "e2e_user_report_job", ROUND_OPS["user-report"], "Probe: a user-report exchange."
)
e2e_enx_redirect_job = _probe_job(
    "e2e_enx_redirect_job", e2e_enx_redirect, "Probe: the ENX redirector."
)


@job(description="Prepare the e2e realm and its apps (run on deploy and daily).")
def e2e_bootstrap_job():
    e2e_bootstrap()


def _configured() -> tuple[bool, bool]:
    """Say whether the exchange rounds and the redirect round are configured."""
    try:
        ops = Settings.from_env(os.environ).ops
    except SettingsError:
        return False, False
    exchange = all((ops.key_server_url, ops.e2e_adminapi_url, ops.e2e_apiserver_url))
    return exchange, bool(ops.e2e_redirect_url)


EXCHANGE_ON, REDIRECT_ON = _configured()
E2E_JOBS = [
    e2e_job,
    e2e_default_job,
    e2e_revise_job,
    e2e_user_report_job,
    e2e_enx_redirect_job,
    e2e_bootstrap_job,
]
E2E_SCHEDULES = [
    duty_schedule(
        "e2e_default_schedule", e2e_default_job, "*/5 * * * *", running=EXCHANGE_ON
    ),
    duty_schedule(
        "e2e_revise_schedule", e2e_revise_job, "2-59/5 * * * *", running=EXCHANGE_ON
    ),
    duty_schedule(
        "e2e_user_report_schedule",
        e2e_user_report_job,
        "3-59/5 * * * *",
        running=EXCHANGE_ON,
    ),
    duty_schedule(
        "e2e_enx_redirect_schedule",
        e2e_enx_redirect_job,
        "*/5 * * * *",
        running=REDIRECT_ON,
    ),
    duty_schedule(
        "e2e_bootstrap_schedule",
        e2e_bootstrap_job,
        "0 3 * * *",
        running=EXCHANGE_ON or REDIRECT_ON,
    ),
]
