-- Account security (issue 19).
-- The newest TOTP time step a user signed in with: a step is accepted once.
ALTER TABLE users ADD COLUMN totp_last_step bigint;
-- When the last failed sign-in happened: failures older than a day no longer
-- count, for users and for addresses without account alike.
ALTER TABLE users ADD COLUMN last_failed_signin timestamptz;

-- Failed sign-ins of addresses that have no account, so that they lock out
-- exactly like real accounts do and the answer says nothing about existence.
-- Keyed by the SHA-256 of the lower-cased address, never the address itself.
CREATE TABLE signin_throttle (
    address_hash text PRIMARY KEY,
    failures integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    updated_at timestamptz NOT NULL
);
CREATE INDEX idx_signin_throttle_updated_at ON signin_throttle (updated_at);
