"""End-to-end prober: synthetic exchanges against the running surfaces (§7)."""

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

from models.duties import e2e
from orchestration.gating import acquire_gate, duty_schedule
from orchestration.resources import EncvResource


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


def _round_op(scenario: str):
    # No retry policy: a failed probe is the signal, not something to hide.
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
                raise Failure(
                    description=f"e2e {scenario} failed at {ex}",
                    metadata={
                        "failed_step": ex.step,
                        "error": str(ex),
                        "latency_ms": MetadataValue.json(ex.timings),
                    },
                ) from ex
        yield Output(
            None,
            metadata={
                "success": True,
                "latency_ms": MetadataValue.json(result.timings),
                "total_ms": round(sum(result.timings.values()), 3),
                "keys_published": result.published,
            },
        )

    return probe


ROUND_OPS = [_round_op(scenario) for scenario in e2e.SCENARIOS]


@job(description="Probe the whole system with synthetic code exchanges.")
def e2e_job():
    go, _skipped = acquire_gate()
    for probe in ROUND_OPS:
        probe(go)


# Stopped until turned on in the UI: the prober needs a key server to publish
# to (ENCV_KEY_SERVER_URL), which a one-machine `encv up` does not have.
e2e_schedule = duty_schedule("e2e_schedule", e2e_job, "*/5 * * * *", running=False)
