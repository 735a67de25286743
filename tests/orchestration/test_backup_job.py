import datetime as dt

import pytest

from models.duties import backup
from orchestration.duties.backup import backup_job
from tests.orchestration.conftest import NOW


def test_backup_writes_a_complete_dump_and_keeps_the_newest(db, encv, tmp_path):
    db.execute("UPDATE realms SET name = 'Backed up realm' WHERE id = 1")
    for hours in range(4):
        db.execute("UPDATE lock_statuses SET not_before = '-infinity'")
        at = NOW + dt.timedelta(hours=4 * hours)
        result = backup_job.execute_in_process(
            resources={
                "encv": encv(at, ENCV_BACKUP_DIR=str(tmp_path), ENCV_BACKUP_KEEP="2")
            }
        )
        assert result.success

    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["encv-20260615T200000Z.sql", "encv-20260616T000000Z.sql"]
    text = (tmp_path / files[-1]).read_text()
    assert "Backed up realm" in text and "CREATE TABLE public.lock_statuses" in text


def test_truncated_dump_is_rejected(tmp_path):
    cut = tmp_path / "encv-x.partial"
    cut.write_text("--\n-- PostgreSQL database dump\n--\nCREATE TABLE a (\n")
    with pytest.raises(backup.BackupError, match="incomplete"):
        backup.verify(cut)


def test_pg_dump_older_than_the_server_is_refused():
    with pytest.raises(backup.BackupError, match="no pg_dump"):
        backup.choose_pg_dump(99)
