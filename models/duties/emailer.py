"""Operator e-mails: SMS error rate and claim-ratio anomalies (operations §9)."""

from __future__ import annotations

import datetime as dt
import html
import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage

import psycopg

from db.queries.duties import emailer as q
from db.queries.realms.core import list_realms
from db.rows import Realm
from models.duties.modeler import is_anomalous
from models.settings import Settings

log = logging.getLogger(__name__)

PLAYBOOK_URL = (
    "https://github.com/google/exposure-notifications-verification-server/"
    "blob/main/docs/playbooks/alerts/CodesClaimedRatioAnomaly.md"
)


@dataclass(frozen=True)
class SmtpTarget:
    """Where and as whom to send."""

    host: str
    port: int
    sender: str
    account: str = ""
    password: str = ""


@dataclass
class SendReport:
    """Realms e-mailed, skipped, and failures by realm id."""

    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    errors: dict[int, str] = field(default_factory=dict)


def smtp_for(conn: psycopg.Connection, realm: Realm, settings: Settings) -> SmtpTarget:
    """Return the realm's own SMTP config when it has one, else the system's."""
    own = q.realm_email_config(conn, realm_id=realm.id)
    if own and not realm.use_system_email_config:
        host, port, account, password = own
        return SmtpTarget(
            host, int(port or 25), settings.ui.smtp_from, account, password
        )
    if not settings.ui.smtp_host:
        raise RuntimeError("no SMTP server configured (ENCV_SMTP_HOST)")
    return SmtpTarget(
        settings.ui.smtp_host, settings.ui.smtp_port, settings.ui.smtp_from
    )


def send(target: SmtpTarget, to: list[str], subject: str, body_html: str) -> None:
    """Send one HTML message; STARTTLS when the server offers it."""
    message = EmailMessage()
    message["From"] = target.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(body_html, subtype="html")
    with smtplib.SMTP(target.host, target.port, timeout=30) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            context = ssl.create_default_context()
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            smtp.starttls(context=context)
            smtp.ehlo()
        if target.account and target.password:
            smtp.login(target.account, target.password)
        smtp.send_message(message, to_addrs=to)


def _for_each_realm(conn, settings: Settings, build) -> SendReport:
    report = SendReport()
    for realm in list_realms(conn):
        try:
            mail = build(realm)
            if mail is None:
                continue
            if not realm.contact_email_addresses:
                log.warning("realm %s has no contact addresses: not e-mailed", realm.id)
                report.skipped.append(realm.id)
                continue
            subject, body = mail
            send(
                smtp_for(conn, realm, settings),
                realm.contact_email_addresses,
                subject,
                body,
            )
            report.sent.append(realm.id)
        except Exception as ex:  # one realm's failure must not stop the others
            report.errors[realm.id] = str(ex)
    return report


def send_sms_error_emails(
    conn: psycopg.Connection, settings: Settings, *, now: dt.datetime
) -> SendReport:
    """E-mail realms whose SMS errors today reached the threshold."""

    def build(realm: Realm):
        count = q.sms_error_count(
            conn,
            realm_id=realm.id,
            day=now.date(),
            ignored=list(settings.duties.sms_ignored_error_codes),
        )
        if count < settings.duties.sms_errors_email_threshold:
            return None
        body = (
            f"<p>Realm <b>{html.escape(realm.name)}</b> had {count} SMS delivery "
            f"errors today ({now.date().isoformat()} UTC).</p>"
            f"<p>See {html.escape(settings.ui.server_endpoint)}/realm/stats</p>"
        )
        return "Exposure Notifications SMS error rate exceeded", body

    return _for_each_realm(conn, settings, build)


def send_anomaly_emails(conn: psycopg.Connection, settings: Settings) -> SendReport:
    """E-mail realms whose stored claim ratio is anomalous."""

    def build(realm: Realm):
        if not is_anomalous(realm, settings.duties.anomaly_allowed_stdevs):
            return None
        body = (
            f"<p>Realm <b>{html.escape(realm.name)}</b>: yesterday "
            f"{float(realm.last_codes_claimed_ratio):.2%} of issued codes were "
            f"claimed; the recent mean is {float(realm.codes_claimed_ratio_mean):.2%}."
            f"</p><p>Statistics: {html.escape(settings.ui.server_endpoint)}/realm/stats"
            f"</p><p>Playbook: {PLAYBOOK_URL}</p>"
        )
        return "Exposure Notifications code claim rate anomaly detected", body

    return _for_each_realm(conn, settings, build)
