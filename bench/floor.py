"""The machine's physical floor, measured in the same run as the surfaces.

An exchange cannot cost less than two HTTP requests through the same
gunicorn (the trivial app, measured by the run), two statements that each
claim a row, insert a row and bump a daily counter and then commit, two
ES256 signatures and one verification. An issue cannot cost less than one
request and one insert + commit. The statements run on the bench's own
tables (not the schema's), so the floor does not move when the schema does.
"""

from __future__ import annotations

import os
import time

import psycopg
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

SCHEMA = """
CREATE TABLE IF NOT EXISTS bench_floor_codes (
  id bigserial PRIMARY KEY,
  realm_id integer NOT NULL,
  code_hash bytea NOT NULL UNIQUE,
  long_code_hash bytea NOT NULL UNIQUE,
  claimed_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS bench_floor_tokens (
  id bigserial PRIMARY KEY,
  token_hash bytea NOT NULL UNIQUE,
  code_id bigint NOT NULL,
  realm_id integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS bench_floor_stats (
  realm_id integer NOT NULL,
  day date NOT NULL,
  claimed integer NOT NULL DEFAULT 0,
  PRIMARY KEY (realm_id, day)
)
"""

INSERT = """
INSERT INTO bench_floor_codes (realm_id, code_hash, long_code_hash, expires_at)
VALUES (%s, %s, %s, now() + interval '1 hour')
"""

# Claim one unclaimed, unexpired code by its hash, insert the token row and
# bump the day's counter: one statement, one round trip.
CLAIM = """
WITH claimed AS (
  UPDATE bench_floor_codes SET claimed_at = now()
  WHERE code_hash = %s AND realm_id = %s AND claimed_at IS NULL
    AND expires_at > now()
  RETURNING id, realm_id
), token AS (
  INSERT INTO bench_floor_tokens (token_hash, code_id, realm_id)
  SELECT %s, id, realm_id FROM claimed RETURNING id
), bump AS (
  INSERT INTO bench_floor_stats (realm_id, day, claimed)
  SELECT realm_id, current_date, 1 FROM claimed
  ON CONFLICT (realm_id, day)
  DO UPDATE SET claimed = bench_floor_stats.claimed + 1
  RETURNING claimed
)
SELECT (SELECT id FROM token), (SELECT claimed FROM bump)
"""


def _statements(dsn: str, clock, count: int) -> dict:
    """Time ``count`` inserts, then ``count`` claims of those codes."""
    hashes_ = [(os.urandom(32), os.urandom(32)) for _ in range(count)]
    with psycopg.connect(dsn) as conn:
        conn.execute(SCHEMA)
        conn.commit()
        out = {}
        for name, sql, rows in (
            ("insert", INSERT, [(1, c, lc) for c, lc in hashes_]),
            ("claim", CLAIM, [(c, 1, os.urandom(32)) for c, _ in hashes_]),
        ):
            # Warm the prepared statement and the caches first.
            conn.execute(sql, rows[0], prepare=True)
            conn.rollback()
            if name == "claim":
                conn.execute("ANALYZE bench_floor_codes")
                conn.commit()
            before = clock.sample()
            for params in rows:
                conn.execute(sql, params, prepare=True)
                conn.commit()
            spent = clock.delta(before, clock.sample())
            out[name] = _per_op(spent, count)
        claimed = conn.execute(
            "SELECT count(*) FROM bench_floor_codes WHERE claimed_at IS NOT NULL"
        ).fetchone()[0]
        out["claim"]["claimed_rows"] = claimed
        conn.execute(
            "DROP TABLE bench_floor_codes, bench_floor_tokens, bench_floor_stats"
        )
        conn.commit()
    return out


def _per_op(spent: dict, count: int) -> dict:
    client, pg = spent["client"], spent["postgresql"]
    return {
        "statements": count,
        "client_cpu_ms": round(client * 1000 / count, 3),
        "postgresql_cpu_ms": round(pg * 1000 / count, 3),
        "total_cpu_ms": round((client + pg) * 1000 / count, 3),
    }


def _es256(count: int) -> dict:
    """Return CPU ms of one ES256 signature and one verification."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key()
    message = os.urandom(300)
    algorithm = ec.ECDSA(hashes.SHA256())
    started = time.process_time()
    signatures = [key.sign(message, algorithm) for _ in range(count)]
    signed = time.process_time()
    for signature in signatures:
        public.verify(signature, message, algorithm)
    verified = time.process_time()
    return {
        "operations": count,
        "sign_cpu_ms": round((signed - started) * 1000 / count, 4),
        "verify_cpu_ms": round((verified - signed) * 1000 / count, 4),
    }


def measure(dsn: str, clock, statements: int, signatures: int) -> dict:
    """Return the statement and ES256 floors (CPU ms per operation)."""
    return {**_statements(dsn, clock, statements), "es256": _es256(signatures)}


def exchange_floor_ms(trivial_ms: float, floor: dict) -> float:
    """Return the floor of one exchange: 2 requests, 2 claims, 2 signs, 1 verify."""
    es = floor["es256"]
    return round(
        2 * trivial_ms
        + 2 * floor["claim"]["total_cpu_ms"]
        + 2 * es["sign_cpu_ms"]
        + es["verify_cpu_ms"],
        3,
    )


def issue_floor_ms(trivial_ms: float, floor: dict) -> float:
    """Return the floor of one issue: one request and one insert + commit."""
    return round(trivial_ms + floor["insert"]["total_cpu_ms"], 3)
