from orchestration.duties.emailer import emailer_anomalies_job, emailer_sms_errors_job
from tests.fakes.smtp import SmtpSink
from tests.orchestration.conftest import NOW


def _env(sink, enabled="true"):
    return {
        "ENABLE_EMAILER": enabled,
        "ENCV_SMTP_HOST": "127.0.0.1",
        "ENCV_SMTP_PORT": str(sink.port),
        "ENCV_SMTP_FROM": "ops@example.org",
        "SERVER_ENDPOINT": "https://encv.example.org",
    }


def test_sms_error_email_goes_to_realms_over_the_threshold(db, encv):
    db.execute(
        "UPDATE realms SET contact_email_addresses = '{pha@example.org}' WHERE id = 1"
    )
    quiet = db.execute(
        "INSERT INTO realms (name, region_code, contact_email_addresses)"
        " VALUES ('Quiet', 'Q-Q', '{q@example.org}') RETURNING id"
    ).fetchone()[0]
    db.execute(
        "INSERT INTO sms_error_stats (realm_id, date, error_code, quantity) VALUES"
        " (1, %(d)s, '21211', 40), (1, %(d)s, '30008', 10), (1, %(d)s, '30003', 99),"
        " (%(q)s, %(d)s, '21211', 49)",
        {"d": NOW.date(), "q": quiet},
    )
    with SmtpSink() as sink:
        result = emailer_sms_errors_job.execute_in_process(
            resources={"encv": encv(**_env(sink))}
        )
    assert result.success
    [mail] = sink.messages
    assert mail.rcpt_to == ["pha@example.org"]
    assert mail.message["Subject"] == "Exposure Notifications SMS error rate exceeded"
    assert "50 SMS delivery errors" in mail.message.get_payload(decode=True).decode()


def test_anomaly_email_uses_the_stored_ratios_and_respects_the_flag(db, encv):
    db.execute(
        "UPDATE realms SET contact_email_addresses = '{pha@example.org}',"
        " last_codes_claimed_ratio = 0.5, codes_claimed_ratio_mean = 0.9,"
        " codes_claimed_ratio_stddev = 0.1 WHERE id = 1"
    )
    with SmtpSink() as sink:
        off = emailer_anomalies_job.execute_in_process(
            resources={"encv": encv(**_env(sink, enabled="false"))}
        )
        assert off.success and sink.messages == []
        db.execute("UPDATE lock_statuses SET not_before = '-infinity'")
        on = emailer_anomalies_job.execute_in_process(
            resources={"encv": encv(**_env(sink))}
        )
    assert on.success
    [mail] = sink.messages
    body = mail.message.get_payload(decode=True).decode()
    assert "50.00%" in body and "90.00%" in body
    assert "https://encv.example.org/realm/stats" in body
