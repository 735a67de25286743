-- Forward progress of the internal duties (operations §0 alerting windows).
-- One row per duty: when the checker first saw it, and its last real success
-- (a run skipped by its gate is not a success).
CREATE TABLE duty_progress (
    duty            text PRIMARY KEY,
    first_seen_at   timestamptz NOT NULL,
    last_success_at timestamptz,
    last_run_id     text
);
