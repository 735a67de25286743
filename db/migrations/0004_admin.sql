-- Daily quota windows when no Redis is configured, so that every worker
-- and host of a deployment spends the same bucket (protocol §3.9).
CREATE TABLE quota_windows (
    key text PRIMARY KEY,
    window_end timestamptz NOT NULL,
    used integer NOT NULL
);
