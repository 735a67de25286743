"""Run sensors and the forward-progress check (operations §0, §13)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from dagster import (
    DagsterEventType,
    DagsterInstance,
    SkipReason,
    build_run_status_sensor_context,
)

from orchestration.duties.cleanup import cleanup_job
from orchestration.duties.e2e import e2e_default_job
from orchestration.sensors import build_sensors, check_progress, note_success
from tests.orchestration.conftest import NOW

WATCHED = ["cleanup_job", "rotate_secrets_job"]
FAILURE, _SUCCESS, _PROGRESS = build_sensors(
    [cleanup_job, e2e_default_job], WATCHED, frozenset()
)


def _event(instance, run_id: str, kind: DagsterEventType):
    record = instance.get_records_for_run(run_id, of_type=kind).records[0]
    return record.event_log_entry.dagster_event


def _status_context(instance, result, kind, sensor_context=None):
    run = instance.get_run_by_id(result.run_id)
    return build_run_status_sensor_context(
        sensor_name="test",
        dagster_event=_event(instance, result.run_id, kind),
        dagster_instance=instance,
        dagster_run=run,
        context=sensor_context,
    )


def test_a_failing_duty_triggers_the_failure_sensor(encv, caplog):
    instance = DagsterInstance.ephemeral()
    # No key server or API URLs: the probe fails, as a broken deployment would.
    result = e2e_default_job.execute_in_process(
        instance=instance, resources={"encv": encv()}, raise_on_error=False
    )
    assert not result.success
    context = _status_context(
        instance, result, DagsterEventType.RUN_FAILURE
    ).for_run_failure()
    with caplog.at_level(logging.ERROR, logger="encv.duties"):
        FAILURE(context)
    [record] = [r for r in caplog.records if r.name == "encv.duties"]
    assert record.levelno == logging.ERROR
    assert "e2e_default_job" in record.getMessage()
    assert result.run_id in record.getMessage()


def test_success_sensor_records_real_successes_but_not_gate_skips(db, encv):
    instance = DagsterInstance.ephemeral()
    first = cleanup_job.execute_in_process(
        instance=instance, resources={"encv": encv()}
    )
    run = instance.get_run_by_id(first.run_id)
    assert note_success(instance, run, db, NOW, asset_job=False) is None
    row = db.execute(
        "SELECT last_success_at, last_run_id FROM duty_progress WHERE duty = %s",
        ("cleanup_job",),
    ).fetchone()
    assert row == (NOW, first.run_id)

    # A minute later the cleanup gate is "too early": the run ends at its gate.
    later = NOW + dt.timedelta(minutes=1)
    second = cleanup_job.execute_in_process(
        instance=instance, resources={"encv": encv(later)}
    )
    run = instance.get_run_by_id(second.run_id)
    assert second.success
    assert isinstance(
        note_success(instance, run, db, later, asset_job=False), SkipReason
    )
    assert db.execute(
        "SELECT last_run_id FROM duty_progress WHERE duty = 'cleanup_job'"
    ).fetchone() == (first.run_id,)


def test_forward_progress_flags_a_duty_without_a_success_in_its_window(db):
    # First sight registers both duties: nothing is overdue yet.
    assert isinstance(check_progress(db, WATCHED, NOW), SkipReason)
    db.execute(
        "UPDATE duty_progress SET last_success_at = %s WHERE duty = 'cleanup_job'",
        (NOW + dt.timedelta(minutes=5),),
    )
    db.execute(
        "UPDATE duty_progress SET last_success_at = %s"
        " WHERE duty = 'rotate_secrets_job'",
        (NOW + dt.timedelta(hours=4),),
    )
    # 4h30 later: cleanup (window 4h10m) is overdue, secrets rotation is not.
    with pytest.raises(RuntimeError, match="cleanup_job: no success within 4:10:00"):
        check_progress(db, WATCHED, NOW + dt.timedelta(hours=4, minutes=30))
    # A duty that never succeeded counts from when it was first seen.
    db.execute("UPDATE duty_progress SET last_success_at = NULL")
    with pytest.raises(RuntimeError, match=r"rotate_secrets_job: .*\(last: never\)"):
        check_progress(db, WATCHED, NOW + dt.timedelta(minutes=12))
