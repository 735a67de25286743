-- Sharded daily counters (issue 18). Every claim and issue bumped the one row
-- of its (date, realm) and (date, API key) inside its own transaction, and the
-- row lock lasts until COMMIT (the WAL flush), so all claims of a realm ran one
-- after another. Writers now spread over up to 16 rows per day, picked by
-- their backend (one backend runs one transaction at a time); readers sum the
-- shards through the *_daily views. Existing rows become shard 0.
ALTER TABLE realm_stats ADD COLUMN shard smallint NOT NULL DEFAULT 0;
DROP INDEX idx_realm_stats_stats_date_realm_id;
CREATE UNIQUE INDEX idx_realm_stats_date_realm_shard ON realm_stats
    (date, realm_id, shard);

ALTER TABLE authorized_app_stats ADD COLUMN shard smallint NOT NULL DEFAULT 0;
DROP INDEX idx_authorized_app_stats_date_app;
CREATE UNIQUE INDEX idx_authorized_app_stats_date_app_shard ON authorized_app_stats
    (date, authorized_app_id, shard);

-- Element-wise sum of counter arrays; a shorter array counts as zeros.
CREATE FUNCTION stats_array_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i), '{}')
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

CREATE AGGREGATE stats_array_sum(bigint[]) (
    SFUNC = stats_array_add,
    STYPE = bigint[],
    INITCOND = '{}'
);

-- One row per (date, realm) as before sharding. The running mean of each
-- shard is weighted by its claims; a day without claims keeps its stored mean.
CREATE VIEW realm_stats_daily AS
SELECT
    date,
    realm_id,
    sum(codes_issued) AS codes_issued,
    sum(codes_claimed) AS codes_claimed,
    sum(codes_invalid) AS codes_invalid,
    sum(user_reports_issued) AS user_reports_issued,
    sum(user_reports_claimed) AS user_reports_claimed,
    sum(user_report_tokens_claimed) AS user_report_tokens_claimed,
    sum(user_reports_invalid_nonce) AS user_reports_invalid_nonce,
    sum(tokens_claimed) AS tokens_claimed,
    sum(tokens_invalid) AS tokens_invalid,
    stats_array_sum(codes_invalid_by_os) AS codes_invalid_by_os,
    stats_array_sum(user_reports_invalid_nonce_by_os)
        AS user_reports_invalid_nonce_by_os,
    stats_array_sum(code_claim_age_distribution::bigint[])::integer[]
        AS code_claim_age_distribution,
    CASE WHEN sum(codes_claimed) > 0
        THEN div(sum(code_claim_mean_age::numeric * codes_claimed),
                 sum(codes_claimed))::bigint
        ELSE max(code_claim_mean_age)
    END AS code_claim_mean_age
FROM realm_stats
GROUP BY date, realm_id;

CREATE VIEW authorized_app_stats_daily AS
SELECT
    date,
    authorized_app_id,
    sum(codes_issued) AS codes_issued,
    sum(codes_claimed) AS codes_claimed,
    sum(codes_invalid) AS codes_invalid,
    sum(tokens_claimed) AS tokens_claimed,
    sum(tokens_invalid) AS tokens_invalid
FROM authorized_app_stats
GROUP BY date, authorized_app_id;
