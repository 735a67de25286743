-- Baseline schema: the final state of the original's 126 migrations
-- (ui-and-data.md §7), plus encv's own key store and self-hosted auth tables.
-- Index and constraint names follow the original so operators' queries and
-- dashboards keep working.

-- No extensions: the embedded PostgreSQL (pgserver) ships none of hstore,
-- citext or uuid-ossp, and managed databases vary. Case-insensitive columns
-- are text with unique indexes on lower(...), label -> template maps are
-- jsonb, and UUIDs come from the core gen_random_uuid().

CREATE TABLE sms_from_numbers (
    id serial PRIMARY KEY,
    label text NOT NULL,
    value text NOT NULL UNIQUE
);
CREATE UNIQUE INDEX uix_sms_from_numbers_label ON sms_from_numbers (lower(label));

CREATE TABLE realms (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    name text NOT NULL,
    region_code text,
    is_e2e boolean NOT NULL DEFAULT false,
    maintenance_mode boolean NOT NULL DEFAULT false,
    welcome_message text,
    contact_email_addresses text[] NOT NULL DEFAULT '{}',
    allow_bulk_upload boolean NOT NULL DEFAULT false,
    code_length smallint NOT NULL DEFAULT 8,
    code_duration bigint NOT NULL DEFAULT 900,
    long_code_length smallint NOT NULL DEFAULT 16,
    long_code_duration bigint NOT NULL DEFAULT 86400,
    short_code_max_minutes smallint NOT NULL DEFAULT 60,
    enx_code_expiration_configurable boolean NOT NULL DEFAULT false,
    allowed_test_types smallint NOT NULL DEFAULT 14,
    require_date boolean NOT NULL DEFAULT false,
    allow_user_report_web_view boolean NOT NULL DEFAULT false,
    allow_admin_user_report boolean NOT NULL DEFAULT false,
    user_report_webhook_url text,
    -- AES-GCM ciphertext under the KEK, base64 (never the plain secret).
    user_report_webhook_secret text,
    user_report_learn_more_url text,
    agency_background_color text,
    agency_image text,
    default_locale text,
    sms_text_template text NOT NULL DEFAULT
        'This is your Exposure Notifications Verification code: [longcode] Expires in [longexpires] hours',
    alternate_sms_templates jsonb,
    sms_country varchar(5) DEFAULT 'us',
    can_use_system_sms_config boolean NOT NULL DEFAULT false,
    use_system_sms_config boolean NOT NULL DEFAULT false,
    sms_from_number_id integer
        CONSTRAINT fk_sms_from_number REFERENCES sms_from_numbers (id) ON DELETE SET NULL,
    use_authenticated_sms boolean NOT NULL DEFAULT false,
    allow_generated_sms boolean NOT NULL DEFAULT false,
    email_invite_template text,
    email_password_reset_template text,
    email_verify_template text,
    can_use_system_email_config boolean NOT NULL DEFAULT false,
    use_system_email_config boolean NOT NULL DEFAULT false,
    mfa_mode smallint NOT NULL DEFAULT 0,
    mfa_required_grace_period bigint NOT NULL DEFAULT 0,
    email_verified_mode smallint NOT NULL DEFAULT 0,
    password_rotation_period_days smallint NOT NULL DEFAULT 0,
    password_rotation_warning_days smallint NOT NULL DEFAULT 0,
    allowed_cidrs_adminapi varchar(50)[],
    allowed_cidrs_apiserver varchar(50)[],
    allowed_cidrs_server varchar(50)[],
    use_realm_certificate_key boolean DEFAULT false,
    certificate_issuer varchar(150) DEFAULT '',
    certificate_audience varchar(150) DEFAULT '',
    certificate_duration bigint DEFAULT 900,
    auto_rotate_certificate_key boolean NOT NULL DEFAULT false,
    enable_en_express boolean DEFAULT false,
    abuse_prevention_enabled boolean NOT NULL DEFAULT false,
    abuse_prevention_limit integer NOT NULL DEFAULT 10,
    abuse_prevention_limit_factor numeric(6, 3) NOT NULL DEFAULT 1.0,
    last_codes_claimed_ratio numeric(10, 8) NOT NULL DEFAULT 0,
    codes_claimed_ratio_mean numeric(10, 8) NOT NULL DEFAULT 0,
    codes_claimed_ratio_stddev numeric(10, 8) NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX uix_realms_name ON realms (lower(name));
CREATE UNIQUE INDEX uix_realms_region_code ON realms (lower(region_code));
CREATE UNIQUE INDEX uix_realms_is_e2e ON realms (is_e2e) WHERE is_e2e;
CREATE INDEX idx_realms_deleted_at ON realms (deleted_at);

CREATE TABLE users (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    email text NOT NULL,
    name varchar(100) NOT NULL,
    system_admin boolean NOT NULL DEFAULT false,
    last_revoke_check timestamptz,
    last_password_change timestamptz,
    -- Self-hosted sign-in (ui-and-data §3.4), replacing Firebase accounts.
    password_hash text,
    email_verified_at timestamptz,
    sessions_valid_after timestamptz,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until timestamptz
);
CREATE UNIQUE INDEX uix_users_email ON users (lower(email));
CREATE INDEX idx_users_system_admin ON users (system_admin);
CREATE INDEX idx_users_deleted_at ON users (deleted_at);

CREATE TABLE memberships (
    realm_id integer NOT NULL CONSTRAINT fk_realm REFERENCES realms (id) ON DELETE CASCADE,
    user_id integer NOT NULL CONSTRAINT fk_user REFERENCES users (id) ON DELETE CASCADE,
    permissions bigint NOT NULL DEFAULT 0,
    default_sms_template_label text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT memberships_pkey PRIMARY KEY (realm_id, user_id)
);
CREATE INDEX idx_memberships_realm_id ON memberships (realm_id);
CREATE INDEX idx_memberships_user_id ON memberships (user_id);

CREATE TABLE mfa_factors (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    display_name text NOT NULL,
    totp_secret_encrypted text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_mfa_factors_user_id ON mfa_factors (user_id);

CREATE TABLE auth_tokens (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('reset_password', 'verify_email', 'invite')),
    token_hash text NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_auth_tokens_user_id ON auth_tokens (user_id);

CREATE TABLE user_reports (
    id bigserial PRIMARY KEY,
    phone_hash text NOT NULL,
    nonce text NOT NULL,
    nonce_required boolean NOT NULL DEFAULT true,
    code_claimed boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uix_user_report_phone_hash ON user_reports (phone_hash);
CREATE INDEX idx_user_report_created_at ON user_reports (created_at);

CREATE TABLE verification_codes (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer NOT NULL,
    code text NOT NULL DEFAULT '',
    long_code text NOT NULL DEFAULT '',
    uuid uuid NOT NULL DEFAULT gen_random_uuid(),
    claimed boolean NOT NULL DEFAULT false,
    test_type text NOT NULL,
    symptom_date timestamptz,
    test_date timestamptz,
    expires_at timestamptz NOT NULL,
    long_expires_at timestamptz NOT NULL,
    user_report_id bigint
        CONSTRAINT fk_user_report_id REFERENCES user_reports (id) ON DELETE SET NULL,
    issuing_user_id integer,
    issuing_app_id integer,
    issuing_external_id varchar(255) NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX idx_vercode_uuid_unique ON verification_codes (uuid);
CREATE UNIQUE INDEX uix_verification_codes_realm_code
    ON verification_codes (realm_id, code) WHERE code <> '';
CREATE UNIQUE INDEX uix_verification_codes_realm_long_code
    ON verification_codes (realm_id, long_code) WHERE long_code <> '';
CREATE INDEX ver_code_purge_index ON verification_codes (expires_at);
CREATE INDEX ver_code_long_purge_index ON verification_codes (long_expires_at);
CREATE INDEX idx_vercode_recent ON verification_codes (realm_id, issuing_user_id);
CREATE INDEX idx_vercode_user_report_ids ON verification_codes (user_report_id);
CREATE INDEX idx_vercode_issuing_app_ids ON verification_codes (issuing_app_id);
CREATE INDEX idx_verification_codes_deleted_at ON verification_codes (deleted_at);

CREATE TABLE tokens (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer NOT NULL,
    token_id varchar(200) NOT NULL UNIQUE,
    test_type varchar(20) NOT NULL,
    symptom_date timestamptz,
    test_date timestamptz,
    used boolean NOT NULL DEFAULT false,
    expires_at timestamptz NOT NULL,
    -- Which DEVICE key claimed the code, for per-key certificate stats.
    authorized_app_id integer,
    from_user_report boolean NOT NULL DEFAULT false
);
CREATE INDEX idx_tokens_expires_at ON tokens (expires_at);
CREATE INDEX idx_tokens_deleted_at ON tokens (deleted_at);

CREATE TABLE authorized_apps (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer NOT NULL,
    name text NOT NULL,
    api_key_preview varchar(32) NOT NULL,
    api_key varchar(512) NOT NULL UNIQUE,
    api_key_type integer NOT NULL,
    last_used_at timestamptz
);
CREATE UNIQUE INDEX realm_apikey_name ON authorized_apps (realm_id, lower(name));
CREATE INDEX idx_authorized_apps_last_used_at ON authorized_apps (last_used_at);
CREATE INDEX idx_authorized_apps_deleted_at ON authorized_apps (deleted_at);

CREATE TABLE mobile_apps (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    name text NOT NULL,
    realm_id integer NOT NULL,
    url text,
    disable_redirect boolean NOT NULL DEFAULT false,
    os integer NOT NULL DEFAULT 0,
    headless boolean NOT NULL DEFAULT false,
    app_id varchar(512) NOT NULL,
    sha text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX uix_name_realm_id_os ON mobile_apps (lower(name), realm_id, os);
CREATE INDEX idx_mobile_apps_deleted_at ON mobile_apps (deleted_at);
CREATE INDEX idx_mobile_apps_realm_id ON mobile_apps (realm_id);

CREATE TABLE audit_entries (
    id serial PRIMARY KEY,
    realm_id integer NOT NULL,
    actor_id text NOT NULL,
    actor_display text NOT NULL,
    action text NOT NULL,
    target_id text NOT NULL,
    target_display text NOT NULL,
    diff text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idx_audit_entries_realm_id ON audit_entries (realm_id);
CREATE INDEX idx_audit_entries_actor_id ON audit_entries (actor_id);
CREATE INDEX idx_audit_entries_target_id ON audit_entries (target_id);
CREATE INDEX idx_audit_entries_created_at ON audit_entries (created_at);

-- Audit rows are append-only; only the purge may remove them (by age).
CREATE FUNCTION audit_entries_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entries is append-only';
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE ON audit_entries
    FOR EACH ROW EXECUTE FUNCTION audit_entries_no_update();

-- encv's key store: every ES256 key version, private half AES-256-GCM
-- encrypted under the key-encryption key. `key_id` columns elsewhere
-- (signing_keys.key_id, token_signing_keys.key_version_id, ...) reference
-- key_versions.name, so a cloud KMS can take over by owning those names.
CREATE TABLE key_versions (
    id bigserial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    key_ring text NOT NULL,
    algorithm text NOT NULL DEFAULT 'ES256',
    private_key_enc bytea,
    public_key_pem text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    destroyed_at timestamptz
);
CREATE INDEX idx_key_versions_key_ring ON key_versions (key_ring);

CREATE TABLE signing_keys (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer NOT NULL,
    key_id text NOT NULL,
    active boolean NOT NULL DEFAULT false
);
CREATE INDEX realm ON signing_keys (realm_id);
CREATE INDEX idx_signing_keys_deleted_at ON signing_keys (deleted_at);
-- The original enforces "one active key per realm" in a transaction; we
-- also let the database refuse a second one.
CREATE UNIQUE INDEX uix_signing_keys_active ON signing_keys (realm_id)
    WHERE active AND deleted_at IS NULL;

CREATE TABLE sms_signing_keys (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer NOT NULL,
    key_id text NOT NULL,
    active boolean NOT NULL DEFAULT false
);
CREATE INDEX idx_sms_signing_keys_realm ON sms_signing_keys (realm_id);
CREATE UNIQUE INDEX uix_sms_signing_keys_active ON sms_signing_keys (realm_id, active)
    WHERE active;

CREATE TABLE token_signing_keys (
    id bigserial PRIMARY KEY,
    key_version_id text NOT NULL,
    uuid uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    is_active boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uix_token_signing_keys_is_active ON token_signing_keys (is_active)
    WHERE is_active;

-- System certificate-signing keys (the original configures one key in the
-- environment; we keep it in the key store so it can rotate and be
-- published in /.well-known/jwks.json).
CREATE TABLE system_certificate_keys (
    id bigserial PRIMARY KEY,
    kid text NOT NULL UNIQUE,
    key_version_id text NOT NULL,
    is_active boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uix_system_certificate_keys_active ON system_certificate_keys (is_active)
    WHERE is_active;

CREATE TABLE secrets (
    id bigserial PRIMARY KEY,
    type text NOT NULL,
    reference text NOT NULL,
    -- The secret's bytes, AES-256-GCM encrypted under the KEK.
    value_enc bytea NOT NULL,
    active boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    CONSTRAINT uix_secrets_type_reference UNIQUE (type, reference)
);
CREATE INDEX idx_secrets_active_created_at ON secrets (active, created_at);
CREATE INDEX idx_secrets_created_at ON secrets (created_at);
CREATE INDEX idx_secrets_deleted_at ON secrets (deleted_at);

CREATE TABLE sms_configs (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer,
    provider_type text NOT NULL DEFAULT 'twilio',
    twilio_account_sid text NOT NULL DEFAULT '',
    twilio_auth_token text NOT NULL DEFAULT '',
    twilio_from_number text NOT NULL DEFAULT '',
    twilio_user_report_from_number text NOT NULL DEFAULT '',
    is_system boolean NOT NULL DEFAULT false,
    CONSTRAINT nn_sms_configs_realm_id CHECK (is_system OR realm_id IS NOT NULL)
);
CREATE UNIQUE INDEX uix_sms_configs_is_system_true ON sms_configs (is_system) WHERE is_system;
CREATE UNIQUE INDEX uix_sms_configs_realm_id ON sms_configs (realm_id);

CREATE TABLE email_configs (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    realm_id integer,
    provider_type varchar(100) NOT NULL DEFAULT 'smtp',
    smtp_account varchar(250) NOT NULL DEFAULT '',
    smtp_host varchar(250) NOT NULL DEFAULT '',
    smtp_port varchar(250) NOT NULL DEFAULT '',
    smtp_password varchar(250) NOT NULL DEFAULT '',
    is_system boolean NOT NULL DEFAULT false,
    CONSTRAINT nn_email_configs_realm_id CHECK (is_system OR realm_id IS NOT NULL)
);
CREATE UNIQUE INDEX uix_email_configs_is_system_true ON email_configs (is_system)
    WHERE is_system;
CREATE UNIQUE INDEX uix_email_configs_realm_id ON email_configs (realm_id);

CREATE TABLE realm_stats (
    date date NOT NULL,
    realm_id integer NOT NULL,
    codes_issued integer NOT NULL DEFAULT 0,
    codes_claimed integer NOT NULL DEFAULT 0,
    codes_invalid integer NOT NULL DEFAULT 0,
    user_reports_issued integer NOT NULL DEFAULT 0,
    user_reports_claimed integer NOT NULL DEFAULT 0,
    user_report_tokens_claimed integer NOT NULL DEFAULT 0,
    user_reports_invalid_nonce integer NOT NULL DEFAULT 0,
    tokens_claimed integer NOT NULL DEFAULT 0,
    tokens_invalid integer NOT NULL DEFAULT 0,
    codes_invalid_by_os bigint[] NOT NULL DEFAULT '{0,0,0}',
    user_reports_invalid_nonce_by_os bigint[] NOT NULL DEFAULT '{0,0,0}',
    code_claim_age_distribution integer[] NOT NULL DEFAULT '{0,0,0,0,0,0,0,0,0,0,0}',
    code_claim_mean_age bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_realm_stats_stats_date_realm_id ON realm_stats (date, realm_id);
CREATE INDEX idx_realm_stats_date ON realm_stats (date);

CREATE TABLE user_stats (
    date date NOT NULL,
    realm_id integer NOT NULL,
    user_id integer NOT NULL,
    codes_issued integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_user_stats_date_realm_user ON user_stats (date, realm_id, user_id);
CREATE INDEX idx_user_stats_date ON user_stats (date);

CREATE TABLE authorized_app_stats (
    date date NOT NULL,
    authorized_app_id integer NOT NULL,
    codes_issued integer NOT NULL DEFAULT 0,
    codes_claimed integer NOT NULL DEFAULT 0,
    codes_invalid integer NOT NULL DEFAULT 0,
    tokens_claimed integer NOT NULL DEFAULT 0,
    tokens_invalid integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_authorized_app_stats_date_app ON authorized_app_stats
    (date, authorized_app_id);
CREATE INDEX idx_authorized_app_stats_date ON authorized_app_stats (date);

CREATE TABLE external_issuer_stats (
    date date NOT NULL,
    realm_id integer NOT NULL,
    issuer_id varchar(255) NOT NULL,
    codes_issued integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX idx_external_issuer_stats_date_issuer_realm ON external_issuer_stats
    (date, issuer_id, realm_id);

CREATE TABLE sms_error_stats (
    date date NOT NULL,
    realm_id integer NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
    error_code text NOT NULL,
    quantity integer NOT NULL DEFAULT 0,
    PRIMARY KEY (realm_id, date, error_code)
);
CREATE INDEX idx_sms_error_stats_realm_id ON sms_error_stats (realm_id);
CREATE INDEX idx_sms_error_stats_date ON sms_error_stats (date);
CREATE INDEX idx_sms_error_stats_error_code ON sms_error_stats (error_code);

CREATE TABLE key_server_stats (
    realm_id integer PRIMARY KEY,
    key_server_url_override text,
    key_server_audience_override text
);

CREATE TABLE key_server_stats_days (
    realm_id integer NOT NULL,
    day timestamptz NOT NULL,
    publish_requests bigint[] NOT NULL DEFAULT '{0,0,0}',
    total_teks_published bigint NOT NULL DEFAULT 0,
    revision_requests bigint NOT NULL DEFAULT 0,
    tek_age_distribution bigint[] NOT NULL DEFAULT '{}',
    onset_to_upload_distribution bigint[] NOT NULL DEFAULT '{}',
    request_missing_onset_date bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (realm_id, day)
);

CREATE TABLE realm_chaff_events (
    realm_id integer NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
    date date NOT NULL,
    PRIMARY KEY (realm_id, date)
);
CREATE INDEX idx_realm_chaff_events_realm_id ON realm_chaff_events (realm_id);
CREATE INDEX idx_realm_chaff_events_date ON realm_chaff_events (date);

CREATE TABLE dynamic_translations (
    id bigserial PRIMARY KEY,
    realm_id integer NOT NULL REFERENCES realms (id) ON DELETE CASCADE,
    message_id text NOT NULL,
    locale text NOT NULL,
    message text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX uix_dynamic_translations ON dynamic_translations
    (realm_id, message_id, locale);

CREATE TABLE lock_statuses (
    id serial PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    type varchar(50) NOT NULL,
    generation integer NOT NULL DEFAULT 1,
    not_before timestamptz NOT NULL DEFAULT now(),
    -- encv releases a run lock when the run ends; these record who holds it.
    holder text,
    released_at timestamptz
);
CREATE UNIQUE INDEX uix_cleanup_statuses_type ON lock_statuses (type);
CREATE INDEX idx_cleanup_statuses_deleted_at ON lock_statuses (deleted_at);

-- Seed data (ui-and-data §7.2).
INSERT INTO realms (name) VALUES ('Default');
INSERT INTO users (email, name, system_admin) VALUES ('super@example.com', 'System admin', true);
INSERT INTO lock_statuses (type, generation) VALUES ('cleanup', 1);
