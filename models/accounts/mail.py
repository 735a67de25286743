"""Account emails (ui-and-data §8): choose the SMTP config, compose, send."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import psycopg

from db.crypto import Envelope
from db.queries.accounts import auth as auth_q
from db.rows import Realm
from models.settings import UiSettings

# Associated data sealing ``email_configs.smtp_password`` under the KEK.
SMTP_PASSWORD_AAD = "email_configs.smtp_password"
SUBJECT = "Your Exposure Notifications Verification Server Account"

BUILT_IN = {
    "invite": (
        "Hello,\n\nYou have been invited to the [realmname] verification server. "
        "Choose your password and sign in here:\n\n[invitelink]\n"
    ),
    "reset_password": (
        "Hello,\n\nSomebody asked to reset the password of this account. Choose "
        "a new one here:\n\n[passwordresetlink]\n\nIf that was not you, you can "
        "ignore this message.\n"
    ),
    "verify_email": (
        "Hello,\n\nPlease confirm this address for [realmname] by opening:\n\n"
        "[verifylink]\n\nIf you did not ask for this, you can ignore this message.\n"
    ),
}
_PLACEHOLDER = {
    "invite": "[invitelink]",
    "reset_password": "[passwordresetlink]",
    "verify_email": "[verifylink]",
}


class MailError(RuntimeError):
    """No SMTP configuration exists or the SMTP server refused the message."""


@dataclass(frozen=True)
class Transport:
    """An SMTP endpoint and its account."""

    host: str
    port: int
    sender: str
    password: str = ""


def seal_password(envelope: Envelope, password: str) -> str:
    """Encrypt an SMTP password for the ``email_configs`` table ('' stays '')."""
    return envelope.encrypt_text(password, SMTP_PASSWORD_AAD) if password else ""


def transport_for(
    conn: psycopg.Connection,
    ui: UiSettings,
    realm: Realm | None,
    envelope: Envelope | None = None,
    *,
    system_only: bool = False,
) -> Transport:
    """Return the realm's SMTP transport, else the system one, else fail."""
    row = None
    if realm is not None and not system_only:
        row = auth_q.get_email_config(conn, realm.id, realm.use_system_email_config)
    if row is None:
        row = auth_q.get_email_config(conn, None, True)
    if row is not None and row.smtp_host:
        return Transport(
            host=row.smtp_host,
            port=int(row.smtp_port or 25),
            sender=row.smtp_account,
            password=_open(envelope, row.smtp_password),
        )
    if ui.smtp_host:
        return Transport(host=ui.smtp_host, port=ui.smtp_port, sender=ui.smtp_from)
    raise MailError("no email configuration exists for this realm or the system")


def _open(envelope: Envelope | None, sealed: str) -> str:
    if not sealed:
        return ""
    if envelope is None:
        raise MailError("the SMTP password is sealed; this caller has no KEK")
    return envelope.decrypt_text(sealed, SMTP_PASSWORD_AAD)


def compose(
    kind: str, realm: Realm | None, link: str, realm_name: str | None = None
) -> str:
    """Return the body of an account email of ``kind`` carrying ``link``."""
    custom = None
    if realm is not None:
        custom = {
            "invite": realm.email_invite_template,
            "reset_password": realm.email_password_reset_template,
            "verify_email": realm.email_verify_template,
        }[kind]
    body = custom or BUILT_IN[kind]
    if realm_name is None:
        realm_name = realm.name if realm is not None else "Exposure Notifications"
    return body.replace(_PLACEHOLDER[kind], link).replace("[realmname]", realm_name)


def send(transport: Transport, to: str, body: str, timeout: float = 10.0) -> None:
    """Deliver a plain-text account email over SMTP."""
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["To"] = to
    message["From"] = transport.sender
    message.set_content(body, charset="utf-8")
    try:
        with smtplib.SMTP(transport.host, transport.port, timeout=timeout) as smtp:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls()
                smtp.ehlo()
            if transport.password:
                smtp.login(transport.sender, transport.password)
            smtp.send_message(message, from_addr=transport.sender, to_addrs=[to])
    except (OSError, smtplib.SMTPException) as ex:
        raise MailError(f"sending email failed: {ex}") from ex
