-- Passkeys (WebAuthn credentials) of people who sign in to the web UI
-- (issue 15). The public key is public; the credential id is what the
-- browser names on sign-in, unique across every user.
CREATE TABLE passkeys (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id bytea NOT NULL UNIQUE,
    public_key bytea NOT NULL,
    sign_count bigint NOT NULL DEFAULT 0 CHECK (sign_count >= 0),
    transports text[] NOT NULL DEFAULT '{}',
    friendly_name text NOT NULL CHECK (length(friendly_name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX idx_passkeys_user_id ON passkeys (user_id);

-- A realm may let its members sign in with a discoverable passkey alone
-- (no address, no password). Off unless a realm admin turns it on.
ALTER TABLE realms ADD COLUMN allow_passkey_signin boolean NOT NULL DEFAULT false;
