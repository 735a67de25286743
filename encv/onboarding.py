"""Onboarding subcommands: ``realm create``, ``user add``, ``apikey create``,
``admin create-system-admin`` (design.md §3).

Each one calls the same use case as the web UI, audits as the system actor,
prints JSON with ``--json`` and exits non-zero with one line on bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager

from encv.wiring import database_url, load_settings, prepare_database, with_database

ROLES = ("admin", "issuer")
KEY_TYPES = ("admin", "device", "stats")


@contextmanager
def _services():
    """Yield (connection, services, settings) for one command, database ready."""
    from db.pool import SingleConnectionSource, connect
    from models.services import build_services

    settings = load_settings()
    url = database_url(settings)
    prepare_database(settings, url)
    settings = with_database(settings, url)
    with connect(url) as conn:
        services = build_services(settings, db=SingleConnectionSource(conn))
        try:
            yield conn, services, settings
        finally:
            services.close()


def _ui(settings):
    """UI settings whose links point at the server (local default for a CLI)."""
    endpoint = settings.ui.server_endpoint or f"http://127.0.0.1:{settings.port_base}"
    return dataclasses.replace(settings.ui, server_endpoint=endpoint)


def _emit(args, payload: dict, human: str) -> int:
    print(json.dumps(payload) if args.json else human)
    return 0


def _guarded(func: Callable) -> Callable:
    """Turn domain and mail errors into one line on stderr and exit status 1."""

    def run(args) -> int:
        from models.accounts.mail import MailError
        from models.errors import DomainError

        # Keep stderr to the one line that matters unless asked otherwise.
        if "ENCV_LOG_LEVEL" not in os.environ:
            logging.getLogger().setLevel(logging.WARNING)
        try:
            return func(args)
        except DomainError as ex:
            print(f"encv: {ex.message}", file=sys.stderr)
        except MailError as ex:
            print(f"encv: {ex}", file=sys.stderr)
        return 1

    return run


def cmd_realm_create(args) -> int:
    """``encv realm create NAME --region CODE``."""
    from models import audit
    from models.realms.admin import NewRealm, create_realm

    with _services() as (conn, _services_, _settings):
        created = create_realm(
            conn, NewRealm(args.name, args.region), actor=audit.SYSTEM
        )
    payload = {
        "realm_id": created.realm_id,
        "realm_name": created.name,
        "region_code": created.region_code,
    }
    return _emit(
        args,
        payload,
        f"created realm {created.name!r} (id {created.realm_id}, "
        f"region {created.region_code})",
    )


def _invited(args, invited, realm_id) -> int:
    payload = {
        "user_id": invited.user_id,
        "email": invited.email,
        "realm_id": realm_id,
        "set_password_url": invited.set_password_url,
    }
    if invited.mailed:
        human = f"user {invited.email} (id {invited.user_id}): invitation mailed"
    elif invited.set_password_url:
        human = f"user {invited.email} (id {invited.user_id}): set-password link\n"
        human += invited.set_password_url
    else:
        human = f"user {invited.email} (id {invited.user_id}) already has a password"
    return _emit(args, payload, human)


def cmd_user_add(args) -> int:
    """``encv user add EMAIL --realm ID --role admin|issuer``."""
    from models import audit
    from models.accounts.invites import clean_person_name
    from models.accounts.members import invite_member
    from models.accounts.rbac import LEGACY_REALM_ADMIN, LEGACY_REALM_USER

    permissions = LEGACY_REALM_ADMIN if args.role == "admin" else LEGACY_REALM_USER
    with _services() as (conn, services, settings):
        invited = invite_member(
            conn,
            _ui(settings),
            realm_id=args.realm,
            email=args.email,
            name=args.name or clean_person_name(None, args.email),
            permissions=[int(permissions)],
            actor=audit.SYSTEM,
            now=services.clock.now(),
            envelope=services.envelope,
            # The operator hands the printed link over.
            send_email=False,
        )
    return _invited(args, invited, args.realm)


def cmd_apikey_create(args) -> int:
    """``encv apikey create --realm ID --type admin|device|stats NAME``."""
    from models import audit
    from models.realms.apikeys import KeyType, issue_key

    with _services() as (conn, services, _settings):
        plaintext, _app_id = issue_key(
            conn,
            services.secrets,
            realm_id=args.realm,
            name=args.name,
            key_type=KeyType[args.type.upper()],
            actor=audit.SYSTEM,
        )
    payload = {
        "api_key": plaintext,
        "realm_id": args.realm,
        "type": args.type,
        "name": args.name.strip(),
    }
    return _emit(args, payload, plaintext)


def cmd_create_system_admin(args) -> int:
    """``encv admin create-system-admin EMAIL``."""
    from models import audit
    from models.accounts.system_admins import create_system_admin

    with _services() as (conn, services, settings):
        invited = create_system_admin(
            conn,
            _ui(settings),
            email=args.email,
            name=args.name,
            actor=audit.SYSTEM,
            now=services.clock.now(),
            envelope=services.envelope,
        )
    return _invited(args, invited, None)


def _choice(allowed: tuple[str, ...], what: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise argparse.ArgumentTypeError(
                f"invalid {what} {raw!r} (choose from {', '.join(allowed)})"
            )
        return value

    return parse


def register(sub, admin_sub) -> None:
    """Add the onboarding subcommands to the ``encv`` parser."""
    realm = sub.add_parser("realm", help="realms (onboarding)")
    realm_sub = realm.add_subparsers(dest="realm_command", required=True)
    create = realm_sub.add_parser("create", help="create a realm")
    create.add_argument("name")
    create.add_argument("--region", required=True, help="region code, e.g. US-WA")
    create.add_argument("--json", action="store_true")
    create.set_defaults(func=_guarded(cmd_realm_create))

    user = sub.add_parser("user", help="realm members (onboarding)")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="add a user to a realm and invite them")
    add.add_argument("email")
    add.add_argument("--realm", type=int, required=True)
    add.add_argument("--role", type=_choice(ROLES, "role"), required=True)
    add.add_argument("--name", default=None)
    add.add_argument("--json", action="store_true")
    add.set_defaults(func=_guarded(cmd_user_add))

    apikey = sub.add_parser("apikey", help="API keys (onboarding)")
    apikey_sub = apikey.add_subparsers(dest="apikey_command", required=True)
    key = apikey_sub.add_parser("create", help="create an API key; printed once")
    key.add_argument("name")
    key.add_argument("--realm", type=int, required=True)
    key.add_argument("--type", type=_choice(KEY_TYPES, "type"), required=True)
    key.add_argument("--json", action="store_true")
    key.set_defaults(func=_guarded(cmd_apikey_create))

    sysadmin = admin_sub.add_parser(
        "create-system-admin", help="make a user a system admin and invite them"
    )
    sysadmin.add_argument("email")
    sysadmin.add_argument("--name", default=None)
    sysadmin.add_argument("--json", action="store_true")
    sysadmin.set_defaults(func=_guarded(cmd_create_system_admin))
