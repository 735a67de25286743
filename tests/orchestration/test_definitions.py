from dagster import DefaultScheduleStatus

EXPECTED_SCHEDULES = {
    "cleanup_schedule": ("cleanup_job", "*/5 * * * *"),
    "rotate_token_signing_key_schedule": (
        "rotate_token_signing_key_job",
        "2,32 * * * *",
    ),
    "rotate_realm_certificate_keys_schedule": (
        "rotate_realm_certificate_keys_job",
        "*/15 * * * *",
    ),
    "rotate_secrets_schedule": ("rotate_secrets_job", "*/5 * * * *"),
    "modeler_schedule": ("modeler_job", "0 */4 * * *"),
    "appsync_schedule": ("appsync_job", "0 */4 * * *"),
    "stats_pull_schedule": ("stats_pull_job", "*/15 * * * *"),
    "e2e_default_schedule": ("e2e_default_job", "*/5 * * * *"),
    "e2e_revise_schedule": ("e2e_revise_job", "2-59/5 * * * *"),
    "e2e_user_report_schedule": ("e2e_user_report_job", "3-59/5 * * * *"),
    "e2e_enx_redirect_schedule": ("e2e_enx_redirect_job", "*/5 * * * *"),
    "e2e_bootstrap_schedule": ("e2e_bootstrap_job", "0 3 * * *"),
    "backup_schedule": ("backup_job", "0 */4 * * *"),
    "emailer_sms_errors_schedule": ("emailer_sms_errors_job", "5 */12 * * *"),
    "emailer_anomalies_schedule": ("emailer_anomalies_job", "0 18 * * *"),
}

CLEANUP_OPS = {
    "purge_api_keys",
    "purge_verification_codes",
    "recycle_verification_codes",
    "purge_tokens",
    "purge_orphaned_memberships",
    "purge_mobile_apps",
    "purge_audit_entries",
    "purge_users",
    "purge_token_signing_keys",
    "purge_certificate_signing_keys",
    "purge_key_server_stats",
    "purge_authorized_app_stats",
    "purge_external_issuer_stats",
    "purge_sms_error_stats",
    "purge_realm_stats",
    "purge_realm_chaff_events",
    "purge_unclaimed_user_reports",
    "purge_user_stats",
    "purge_claimed_user_reports",
}


def test_every_job_and_schedule_is_defined_on_the_original_cadence():
    from orchestration.definitions import defs

    jobs = {j.name for j in defs.resolve_all_job_defs() if not j.name.startswith("__")}
    # e2e_job (every round, gated) is for `encv job e2e_job`; it has no schedule.
    assert jobs == {job for job, _ in EXPECTED_SCHEDULES.values()} | {"e2e_job"}
    schedules = {s.name: s for s in defs.schedules}
    assert set(schedules) == set(EXPECTED_SCHEDULES)
    for name, (job, cron) in EXPECTED_SCHEDULES.items():
        assert (schedules[name].job_name, schedules[name].cron_schedule) == (job, cron)
        assert schedules[name].execution_timezone == "Etc/UTC"
    # No key server is configured in the test environment: probes stay off.
    for name in EXPECTED_SCHEDULES:
        if name.startswith("e2e_"):
            assert schedules[name].default_status == DefaultScheduleStatus.STOPPED
    assert {s.name for s in defs.sensors} == {
        "duty_failure_sensor",
        "duty_success_sensor",
        "forward_progress_sensor",
    }
    # Gates are released at resource teardown, so a run must keep one resource.
    assert {defs.resolve_job_def(job).executor_def.name for job in jobs} == {
        "in_process"
    }
    assert schedules["cleanup_schedule"].default_status == DefaultScheduleStatus.RUNNING


def test_cleanup_has_one_op_per_purge_target_after_the_gate():
    from orchestration.definitions import defs

    nodes = {n.name for n in defs.resolve_job_def("cleanup_job").graph.node_defs}
    assert nodes == CLEANUP_OPS | {"acquire_gate"}


def test_assets_and_asset_checks():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys >= {
        "realm_stats",
        "realm_abuse_prevention_forecast",
        "realm_claim_ratio_model",
        "published_apps_feed",
        "realm_app_sync",
        "key_server_stats_days",
    }
    checks = {key.name for key in graph.asset_check_keys}
    assert checks == {"feed_parsed_and_non_empty", "key_server_stats_fresh"}
    assert set(defs.resources) == {"encv"}


def test_dagster_stays_out_of_models_and_db():
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, models, db\n"
        "for pkg in (models, db):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print('dagster' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_every_gated_job_carries_its_lock_tag_for_the_run_queue():
    """Dagster's queue limits runs per ``encv/lock`` tag (deploy/dagster)."""
    from orchestration.definitions import defs

    ungated = {
        "e2e_default_job",
        "e2e_revise_job",
        "e2e_user_report_job",
        "e2e_enx_redirect_job",
        "e2e_bootstrap_job",
    }
    for job in defs.resolve_all_job_defs():
        if job.name.startswith("__") or job.name in ungated:
            continue
        assert job.tags.get("encv/lock"), job.name
