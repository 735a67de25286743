"""Fixtures for Dagster runs against a committed, private database."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from tests.support import make_env

NOW = dt.datetime(2026, 6, 15, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(fresh_db):
    """An autocommit connection to the run's database (for seeding/asserting)."""
    with psycopg.connect(fresh_db, autocommit=True) as connection:
        yield connection


@pytest.fixture
def encv(fresh_db):
    """Build an EncvResource on ``fresh_db`` with a pinned clock."""
    from orchestration.resources import EncvResource

    def build(now: dt.datetime = NOW, **env: str) -> EncvResource:
        return EncvResource(
            database_url=fresh_db, env=make_env(**env), fixed_now=now.isoformat()
        )

    return build
