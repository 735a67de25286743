-- Issue-side statistics are first written as one event row per issued code,
-- in the issuing transaction, and folded into realm_stats,
-- authorized_app_stats, user_stats and external_issuer_stats shortly after.
-- Updating the shared per-day counter rows inside every issue would hold
-- their row locks across each commit's fsync and serialise all issuing of a
-- realm (measured: ~180 codes/s at most on one disk).
CREATE TABLE issue_stat_events (
    id bigserial PRIMARY KEY,
    date date NOT NULL,
    realm_id integer NOT NULL,
    authorized_app_id integer,
    user_id integer,
    external_issuer_id varchar(255) NOT NULL DEFAULT '',
    user_report boolean NOT NULL DEFAULT false
);

-- Daily quota windows when no Redis is configured, so that every worker
-- and host of a deployment spends the same bucket (protocol §3.9).
CREATE TABLE quota_windows (
    key text PRIMARY KEY,
    window_end timestamptz NOT NULL,
    used integer NOT NULL
);
