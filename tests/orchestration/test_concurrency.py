import datetime as dt
import threading

import psycopg

from models.duties import locks
from orchestration.duties.cleanup import cleanup_job
from orchestration.gating import was_skipped
from tests.orchestration.conftest import NOW


def test_concurrent_cleanup_runs_one_works_the_other_is_skipped(db, encv, fresh_db):
    db.execute(
        "INSERT INTO audit_entries (realm_id, actor_id, actor_display, action,"
        " target_id, target_display, created_at) VALUES (1, 'a', 'a', 'old', 't',"
        " 't', %s)",
        (NOW - dt.timedelta(days=60),),
    )
    # A period of 0 makes the gate a pure mutex: only the holder blocks B.
    resource = encv(CLEANUP_MIN_PERIOD="0s")
    results = {}
    with psycopg.connect(fresh_db) as blocker:
        # Hold run A inside its audit purge while it owns the gate.
        blocker.execute("LOCK TABLE audit_entries IN ACCESS EXCLUSIVE MODE")
        first = threading.Thread(
            target=lambda: results.update(
                a=cleanup_job.execute_in_process(resources={"encv": resource})
            )
        )
        first.start()
        _wait_for_holder(db)
        results["b"] = cleanup_job.execute_in_process(resources={"encv": resource})
        blocker.rollback()  # let A finish
    first.join(timeout=60)

    assert results["a"].success and not was_skipped(results["a"])
    assert results["b"].success and was_skipped(results["b"])
    assert db.execute("SELECT count(*) FROM audit_entries").fetchone()[0] == 0
    # A released the gate when it ended, so the next run works again.
    again = cleanup_job.execute_in_process(resources={"encv": resource})
    assert not was_skipped(again)


def _wait_for_holder(db, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = db.execute(
            "SELECT holder, released_at FROM lock_statuses WHERE type = 'cleanupLock'"
        ).fetchone()
        if row and row[0] and row[1] is None:
            return
        time.sleep(0.05)
    raise TimeoutError("run A never took the gate")


def test_racing_acquirers_exactly_one_wins(fresh_db):
    gate = locks.Gate("raceLock", 60)
    for round_ in range(10):
        barrier = threading.Barrier(4)
        wins = []

        def contend(index, round_=round_, barrier=barrier, wins=wins):
            with psycopg.connect(fresh_db, autocommit=True) as conn:
                barrier.wait()
                now = NOW + dt.timedelta(hours=round_)
                if locks.try_acquire(conn, gate, holder=f"h{index}", now=now):
                    wins.append(index)

        threads = [threading.Thread(target=contend, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(wins) == 1, wins
        with psycopg.connect(fresh_db, autocommit=True) as conn:
            locks.release_all(conn, holder=f"h{wins[0]}", now=NOW)


def test_a_crashed_holder_blocks_only_until_the_lock_goes_stale(conn):
    gate = locks.Gate("staleLock", 0)
    assert locks.try_acquire(conn, gate, holder="crashed", now=NOW)
    later = NOW + locks.STALE_AFTER - dt.timedelta(seconds=1)
    assert not locks.try_acquire(conn, gate, holder="other", now=later)
    assert locks.try_acquire(conn, gate, holder="other", now=NOW + locks.STALE_AFTER)
