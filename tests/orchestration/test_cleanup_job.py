import datetime as dt

from orchestration.duties.cleanup import cleanup_job
from orchestration.gating import was_skipped
from tests.orchestration.conftest import NOW

SECOND = dt.timedelta(seconds=1)


def _at(hours: float, delta: dt.timedelta) -> dt.datetime:
    return NOW - dt.timedelta(hours=hours) + delta


def _seed(db) -> None:
    """Each target gets a row one second past its TTL and one second inside."""
    for name, delta in (("old", -SECOND), ("new", SECOND)):
        at = _at(336, delta)
        db.execute(
            "INSERT INTO authorized_apps (realm_id, name, api_key_preview, api_key,"
            " api_key_type, deleted_at) VALUES (1, %s, 'x', %s, 0, %s)",
            (f"key-{name}", f"hmac-{name}", at),
        )
        db.execute(
            "INSERT INTO verification_codes (realm_id, code, long_code, test_type,"
            " expires_at, long_expires_at) VALUES (1, %s, %s, 'confirmed', %s, %s)",
            (f"c-{name}", f"l-{name}", _at(48, delta), _at(48, delta)),
        )
        db.execute(
            "INSERT INTO tokens (realm_id, token_id, test_type, expires_at)"
            " VALUES (1, %s, 'confirmed', %s)",
            (f"t-{name}", _at(24, delta)),
        )
        db.execute(
            "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action,"
            " target_id, target_display, created_at)"
            " VALUES (1, 'a', 'a', %s, 't', 't', %s)",
            (name, _at(720, delta)),
        )
        db.execute(
            "INSERT INTO user_reports (phone_hash, nonce, created_at)"
            " VALUES (%s, 'n', %s)",
            (f"unclaimed-{name}", _at(1, delta)),
        )
        db.execute(
            "INSERT INTO user_reports (phone_hash, nonce, code_claimed, created_at)"
            " VALUES (%s, 'n', true, %s)",
            (f"claimed-{name}", _at(720, delta)),
        )
        db.execute(
            "INSERT INTO key_server_stats_days (realm_id, day) VALUES (1, %s)",
            (_at(2184, delta),),
        )
    # realm_stats is date-typed: a day goes once its midnight is before the cutoff.
    cutoff = NOW - dt.timedelta(hours=2184)
    db.execute(
        "INSERT INTO realm_stats (date, realm_id) VALUES (%s, 1), (%s, 1)",
        (cutoff.date(), (cutoff + dt.timedelta(days=1)).date()),
    )


def _names(db, query: str) -> list:
    return sorted(row[0] for row in db.execute(query).fetchall())


def test_cleanup_purges_exactly_at_the_ttl_boundary(db, encv):
    _seed(db)
    # Realm 1 allows no user reports, so the unclaimed TTL is its own 60 m.
    result = cleanup_job.execute_in_process(resources={"encv": encv()})

    assert result.success and not was_skipped(result)
    assert _names(db, "SELECT name FROM authorized_apps") == ["key-new"]
    assert _names(db, "SELECT code FROM verification_codes") == ["", "c-new"]
    assert _names(db, "SELECT token_id FROM tokens") == ["t-new"]
    assert _names(db, "SELECT action FROM audit_entries") == ["new"]
    assert _names(db, "SELECT phone_hash FROM user_reports") == [
        "claimed-new",
        "unclaimed-new",
    ]
    assert db.execute("SELECT count(*) FROM key_server_stats_days").fetchone()[0] == 1
    # The cutoff is mid-day (12:00): that day's midnight is before it, so it goes.
    assert db.execute("SELECT count(*) FROM realm_stats").fetchone()[0] == 1
    meta = {
        event.step_key: event.event_specific_data.metadata
        for event in result.all_events
        if event.is_successful_output and event.step_key != "acquire_gate"
    }
    assert meta["purge_api_keys"]["rows_affected"].value == 1
    assert meta["recycle_verification_codes"]["rows_affected"].value == 1
    assert meta["purge_unclaimed_user_reports"]["rows_affected"].value == 1
    assert meta["purge_realm_stats"]["rows_affected"].value == 1
    assert len(meta) == 19


def test_unclaimed_reports_live_as_long_as_the_longest_user_report_code(db, encv):
    db.execute("UPDATE realms SET allowed_test_types = 30, code_duration = 7200")
    db.execute(
        "INSERT INTO user_reports (phone_hash, nonce, created_at) VALUES"
        " ('a', 'n', %s), ('b', 'n', %s)",
        (_at(2, -SECOND), _at(2, SECOND)),
    )
    assert cleanup_job.execute_in_process(resources={"encv": encv()}).success
    assert _names(db, "SELECT phone_hash FROM user_reports") == ["b"]


def test_retired_token_keys_are_destroyed_then_deleted(db, encv):
    db.execute(
        "INSERT INTO key_versions (name, key_ring, private_key_enc, public_key_pem)"
        " VALUES ('ring/v-old', 'ring', 'x', 'pem'), ('ring/v-new', 'ring', 'x', 'pem')"
    )
    db.execute(
        "INSERT INTO token_signing_keys (key_version_id, is_active, updated_at)"
        " VALUES ('ring/v-old', false, %s), ('ring/v-new', false, %s)",
        (_at(36, -SECOND), _at(36, SECOND)),
    )
    assert cleanup_job.execute_in_process(resources={"encv": encv()}).success
    assert _names(
        db, "SELECT key_version_id FROM token_signing_keys WHERE NOT is_active"
    ) == ["ring/v-new"]
    destroyed = db.execute(
        "SELECT name FROM key_versions WHERE destroyed_at IS NOT NULL"
    ).fetchall()
    assert destroyed == [("ring/v-old",)]


def test_second_run_inside_the_period_is_skipped_after_release(db, encv):
    assert cleanup_job.execute_in_process(resources={"encv": encv()}).success
    holder, released = db.execute(
        "SELECT holder, released_at FROM lock_statuses WHERE type = 'cleanupLock'"
    ).fetchone()
    assert holder.startswith("run:") and released is not None
    again = cleanup_job.execute_in_process(
        resources={"encv": encv(NOW + dt.timedelta(minutes=2))}
    )
    assert again.success and was_skipped(again)
    # Five minutes later (a cron tick may land just early) it runs again.
    later = cleanup_job.execute_in_process(
        resources={"encv": encv(NOW + dt.timedelta(minutes=5) - 2 * SECOND)}
    )
    assert later.success and not was_skipped(later)
