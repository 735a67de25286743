import datetime as dt

import psycopg

from orchestration.duties.rotation import (
    rotate_realm_certificate_keys_job,
    rotate_secrets_job,
    rotate_token_signing_key_job,
)
from orchestration.gating import was_skipped
from tests.orchestration.conftest import NOW

HOUR = dt.timedelta(hours=1)
SECOND = dt.timedelta(seconds=1)


def _run(job, encv, at):
    """Run ``job`` at ``at``; these tests move the clock less than a gate period."""
    with psycopg.connect(encv().database_url, autocommit=True) as conn:
        conn.execute("UPDATE lock_statuses SET not_before = '-infinity'")
    result = job.execute_in_process(resources={"encv": encv(at)})
    assert result.success and not was_skipped(result)
    return result


def _token_keys(db):
    return db.execute(
        "SELECT uuid::text, is_active, updated_at FROM token_signing_keys ORDER BY id"
    ).fetchall()


def test_token_key_is_kept_until_exactly_its_max_age(db, encv):
    db.execute("UPDATE token_signing_keys SET created_at = %s", (NOW - 720 * HOUR,))
    _run(rotate_token_signing_key_job, encv, NOW - SECOND)
    assert len(_token_keys(db)) == 1

    _run(rotate_token_signing_key_job, encv, NOW)
    (old_kid, old_active, old_updated), (new_kid, new_active, _) = _token_keys(db)
    assert (old_active, new_active) == (False, True)
    # The old key stays (verifiers find it by kid) until cleanup destroys it.
    assert old_updated == NOW and old_kid != new_kid
    actions = db.execute(
        "SELECT action FROM audit_entries WHERE actor_id = 'rotation:1' ORDER BY id"
    ).fetchall()
    assert [a for (a,) in actions] == [
        "created token signing key",
        "activated token signing key version",
    ]


def _realm_keys(db, realm_id):
    return db.execute(
        "SELECT 'r' || realm_id || 'v' || id, active, deleted_at IS NOT NULL, key_id"
        " FROM signing_keys WHERE realm_id = %s ORDER BY id",
        (realm_id,),
    ).fetchall()


def test_realm_certificate_key_lifecycle(db, encv):
    realm = db.execute(
        "INSERT INTO realms (name, region_code, use_realm_certificate_key,"
        " auto_rotate_certificate_key) VALUES ('Rot', 'RO-T', true, true) RETURNING id"
    ).fetchone()[0]

    _run(rotate_realm_certificate_keys_job, encv, NOW)
    [(kid_a, active_a, _, _)] = _realm_keys(db, realm)
    assert active_a and kid_a.startswith(f"r{realm}v")

    # Thirty days on: a second key is created but not yet used (inactive,
    # already published so key servers can fetch it).
    t1 = NOW + 720 * HOUR
    _run(rotate_realm_certificate_keys_job, encv, t1)
    assert [row[1:3] for row in _realm_keys(db, realm)] == [
        (True, False),
        (False, False),
    ]

    _run(rotate_realm_certificate_keys_job, encv, t1 + HOUR - SECOND)
    assert [row[1] for row in _realm_keys(db, realm)] == [True, False]

    _run(rotate_realm_certificate_keys_job, encv, t1 + HOUR)
    assert [row[1:3] for row in _realm_keys(db, realm)] == [
        (False, False),
        (True, False),
    ]

    # The retired key stays published for the delay, then is destroyed.
    _run(rotate_realm_certificate_keys_job, encv, t1 + 2 * HOUR - SECOND)
    assert not _realm_keys(db, realm)[0][2]
    _run(rotate_realm_certificate_keys_job, encv, t1 + 2 * HOUR)
    (_, _, deleted, version), (_, active_b, _, _) = _realm_keys(db, realm)
    assert deleted and active_b
    destroyed = db.execute(
        "SELECT destroyed_at IS NOT NULL, private_key_enc IS NULL FROM key_versions"
        " WHERE name = %s",
        (version,),
    ).fetchone()
    assert destroyed == (True, True)


def _codes_secrets(db):
    return db.execute(
        "SELECT id, active, deleted_at IS NOT NULL FROM secrets"
        " WHERE type = 'verification_code_database_hmac' ORDER BY id"
    ).fetchall()


def test_secret_rotation_creates_activates_retires_and_destroys(db, encv):
    db.execute(
        "UPDATE secrets SET created_at = %s, updated_at = %s",
        (NOW - 25 * HOUR, NOW - 25 * HOUR),
    )
    [(first, _, _)] = _codes_secrets(db)

    _run(rotate_secrets_job, encv, NOW)
    (_, a1, _), (second, a2, _) = _codes_secrets(db)
    assert (a1, a2) == (True, False)  # new versions wait 30 min before use

    _run(rotate_secrets_job, encv, NOW + 30 * dt.timedelta(minutes=1))
    assert [row[1] for row in _codes_secrets(db)] == [True, True]

    # The first version reaches its 72 h retire age: deactivated, then
    # hidden 30 min later, then destroyed a day after that.
    retire = NOW + 47 * HOUR
    result = _run(rotate_secrets_job, encv, retire)
    assert _codes_secrets(db)[0][1:] == (False, False)
    _run(rotate_secrets_job, encv, retire + 30 * dt.timedelta(minutes=1))
    assert _codes_secrets(db)[0] == (first, False, True)
    _run(rotate_secrets_job, encv, retire + 30 * dt.timedelta(minutes=1) + 25 * HOUR)
    ids = [row[0] for row in _codes_secrets(db)]
    assert first not in ids and second in ids
    meta = {
        e.step_key: e.event_specific_data.metadata
        for e in result.all_events
        if e.is_successful_output
    }
    assert meta["rotate_verification_code_database_hmac"]["deactivated"].value == 1


def _system_keys(db):
    return db.execute(
        "SELECT kid, is_active FROM system_certificate_keys ORDER BY id"
    ).fetchall()


def test_system_certificate_key_rotates_and_retires_after_certificates_expire(db, encv):
    db.execute(
        "UPDATE system_certificate_keys SET created_at = %s, updated_at = %s",
        (NOW - 720 * HOUR, NOW - 720 * HOUR),
    )
    [(old_kid, _)] = _system_keys(db)
    _run(rotate_realm_certificate_keys_job, encv, NOW)
    (_, old_active), (new_kid, new_active) = _system_keys(db)
    assert (old_active, new_active) == (True, False)
    assert new_kid.startswith("v") and new_kid != old_kid

    _run(rotate_realm_certificate_keys_job, encv, NOW + HOUR)
    assert _system_keys(db) == [(old_kid, False), (new_kid, True)]

    # Published (so certificates it signed still verify) for the delay...
    _run(rotate_realm_certificate_keys_job, encv, NOW + 2 * HOUR - SECOND)
    assert len(_system_keys(db)) == 2
    # ...then gone, and its private key destroyed.
    _run(rotate_realm_certificate_keys_job, encv, NOW + 2 * HOUR)
    assert _system_keys(db) == [(new_kid, True)]
    assert (
        db.execute(
            "SELECT count(*) FROM key_versions WHERE key_ring = 'system/certificate-signing'"
            " AND destroyed_at IS NOT NULL"
        ).fetchone()[0]
        == 1
    )
