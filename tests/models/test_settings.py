import pytest

from models.settings import Secret, Settings, SettingsError, parse_duration
from tests.support import make_env


def test_defaults_follow_the_spec():
    s = Settings.from_env(make_env())
    assert s.tokens.token_issuer == "diagnosis-verification-example"
    assert s.tokens.token_duration == 24 * 3600
    assert s.tokens.certificate_duration == 15 * 60
    assert s.tokens.certificate_audience == "exposure-notifications-server"
    assert s.cleanup.verification_code_max_age == 48 * 3600
    assert s.cleanup.user_report_unclaimed_max_age == 3600
    assert s.port_base == 8080 and s.dagster_port == 3000
    assert s.rate_limit.tokens == 120 and s.rate_limit.interval == 60


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as info:
        Settings.from_env(
            make_env(
                ENCV_PORT_BASE="eighty",
                ENCV_KEK="not base64!",
                AUDIT_ENTRY_MAX_AGE="1h",
                VERIFICATION_CODE_MAX_AGE="10x",
                RATE_LIMIT_TYPE="carrier-pigeon",
                DATABASE_URL="just-a-host",
            )
        )
    text = str(info.value)
    for name in (
        "ENCV_PORT_BASE",
        "ENCV_KEK",
        "AUDIT_ENTRY_MAX_AGE",
        "VERIFICATION_CODE_MAX_AGE",
        "RATE_LIMIT_TYPE",
        "DATABASE_URL",
    ):
        assert name in text


def test_kek_must_be_32_bytes():
    with pytest.raises(SettingsError, match="32 bytes"):
        Settings.from_env(make_env(ENCV_KEK="c2hvcnQ="))


def test_redis_limiter_needs_redis_url():
    with pytest.raises(SettingsError, match="REDIS_URL"):
        Settings.from_env(make_env(RATE_LIMIT_TYPE="redis"))


def test_stats_age_bounds():
    with pytest.raises(SettingsError, match="STATS_MAX_AGE"):
        Settings.from_env(make_env(STATS_MAX_AGE="200d"))


def test_secrets_never_appear_in_repr():
    s = Settings.from_env(
        make_env(
            DATABASE_URL="postgresql://u:hunter2@db/x",
            REDIS_URL="redis://:pw-redis@r:6379/0",
        )
    )
    text = repr(s) + str(s.database_url)
    assert "hunter2" not in text and "pw-redis" not in text
    assert s.database_url.value.endswith("@db/x")
    assert repr(Secret("x")) == "Secret('***')"


def test_settings_are_frozen():
    s = Settings.from_env(make_env())
    with pytest.raises(AttributeError):
        s.port_base = 1


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("15m", 900),
        ("336h", 336 * 3600),
        ("1h30m", 5400),
        ("90", 90),
        ("500ms", 0.5),
        ("2d", 172800),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


def test_parse_duration_rejects_garbage():
    with pytest.raises(SettingsError):
        parse_duration("soon")


def test_duty_tuning_values_come_from_the_environment():
    from models.settings import Settings
    from tests.support import make_env

    defaults = Settings.from_env(make_env()).duties
    assert (defaults.modeler_min_value, defaults.modeler_max_value) == (10, 20000)
    assert defaults.rotation().max_key_versions == 5
    tuned = Settings.from_env(
        make_env(
            DB_MAX_KEY_VERSIONS="7",
            ANOMALY_ALLOWED_STDEVS="1.5",
            TOKEN_SIGNING_KEY_MAX_AGE="48h",
            STATS_PULLER_MAX_WORKERS="2",
            SMS_IGNORED_ERROR_CODES="30003, 30007",
        )
    ).duties
    assert tuned.rotation().max_key_versions == 7
    assert tuned.anomaly_allowed_stdevs == 1.5
    assert tuned.rotation().token_signing_key_max_age == 48 * 3600
    assert tuned.stats_puller_max_workers == 2
    assert tuned.sms_ignored_error_codes == ("30003", "30007")


def test_bad_duty_values_are_reported_with_every_other_problem():
    from models.settings import Settings, SettingsError
    from tests.support import make_env

    try:
        Settings.from_env(
            make_env(
                MODELER_MIN_VALUE="500",
                MODELER_MAX_VALUE="10",
                ANOMALY_ALLOWED_STDEVS="-1",
                DB_MAX_KEY_VERSIONS="1",
            )
        )
    except SettingsError as ex:
        text = str(ex)
    else:
        raise AssertionError("bad duty settings were accepted")
    assert "MODELER_MIN_VALUE: must not exceed MODELER_MAX_VALUE" in text
    assert "ANOMALY_ALLOWED_STDEVS: must be above 0" in text
    assert "DB_MAX_KEY_VERSIONS" in text
