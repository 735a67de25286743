"""The `encv` command line: up, migrate, bootstrap, serve, job, admin, onboarding."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys

from encv import i18n_tool, onboarding
from encv.wiring import (
    SURFACE_OFFSETS,
    SURFACES,
    child_env,
    database_url,
    demo_credentials,
    gunicorn_argv,
    load_settings,
    prepare_database,
    print_demo,
    with_database,
)
from models.telemetry.logs import configure_from


def cmd_migrate(args) -> int:
    settings = load_settings()
    url = database_url(settings)
    changes = prepare_database(settings, url)
    print("migrate: " + (", ".join(changes) if changes else "nothing to do"))
    return 0


def cmd_bootstrap(args) -> int:
    if not args.demo:
        sys.exit("encv bootstrap: only --demo is supported")
    settings = load_settings()
    url = database_url(settings)
    prepare_database(settings, url)
    creds = demo_credentials(with_database(settings, url))
    if args.json:
        print(json.dumps(creds.as_json()))
    else:
        print_demo(creds)
    return 0


def cmd_serve(args) -> int:
    settings = load_settings(args.surface)
    url = database_url(settings)
    prepare_database(settings, url)
    port = settings.port_base + SURFACE_OFFSETS[args.surface]
    bind = args.bind or f"127.0.0.1:{port}"
    argv = gunicorn_argv(args.surface, bind, args.workers)
    os.execve(sys.executable, argv, child_env(settings, url))
    return 0  # not reached


def cmd_job(args) -> int:
    settings = load_settings()
    url = database_url(settings)
    prepare_database(settings, url)
    os.environ["DATABASE_URL"] = url
    os.environ["ENCV_DATA_DIR"] = str(settings.data_dir)
    from encv.jobs import run_job

    return run_job(args.name)


def cmd_up(args) -> int:
    from encv.up import run_up

    return run_up(args)


def cmd_set_password(args) -> int:
    settings = load_settings()
    url = database_url(settings)
    prepare_database(settings, url)
    password = (
        sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass()
    )
    from db.pool import connect
    from models.accounts.passwords import complexity_errors
    from models.realms.bootstrap import set_password

    problems = complexity_errors(password, min_length=settings.ui.password_min_length)
    if problems:
        sys.exit("encv: " + "; ".join(problems))
    with connect(url) as conn:
        if not set_password(conn, args.email, password):
            sys.exit(f"encv: no user with email {args.email}")
    print(f"password set for {args.email}")
    return 0


UP_EPILOG = """\
behind a proxy or load balancer:
  X-Forwarded-For and X-Forwarded-Proto are ignored unless the request comes
  from a trusted proxy (default: none; the socket address is the client).
  ENCV_TRUSTED_PROXIES=10.0.0.0/8,192.0.2.1  proxies whose peer address is
      in these networks; the client is the first untrusted address from
      the right of X-Forwarded-For (nginx, HAProxy, ...)
  ENCV_TRUSTED_PROXY_HOPS=1  that many load balancers that append the
      client's and their own address (Google Cloud's; the original's rule)
"""


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of `encv`."""
    parser = argparse.ArgumentParser(prog="encv", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser(
        "up",
        help="run every surface plus Dagster on this machine",
        epilog=UP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    up.add_argument(
        "--port-base",
        type=int,
        default=None,
        help="server port; apiserver +1, adminapi +2, enx-redirect +3",
    )
    up.add_argument("--dagster-port", type=int, default=None)
    up.add_argument(
        "--workers", type=int, default=2, help="gunicorn workers per surface"
    )
    up.set_defaults(func=cmd_up)

    sub.add_parser("migrate", help="apply migrations (idempotent)").set_defaults(
        func=cmd_migrate
    )

    boot = sub.add_parser("bootstrap", help="create or refresh the demo realm")
    boot.add_argument("--demo", action="store_true", required=True)
    boot.add_argument("--json", action="store_true")
    boot.set_defaults(func=cmd_bootstrap)

    serve = sub.add_parser("serve", help="serve one surface under gunicorn")
    serve.add_argument("surface", choices=sorted(SURFACES))
    serve.add_argument("--bind", default=None, help="HOST:PORT")
    serve.add_argument("--workers", type=int, default=2)
    serve.set_defaults(func=cmd_serve)

    job = sub.add_parser("job", help="run one internal duty once, in-process")
    job.add_argument("name")
    job.set_defaults(func=cmd_job)

    admin = sub.add_parser("admin", help="administration helpers")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    setpw = admin_sub.add_parser("set-password", help="set a user's password")
    setpw.add_argument("email")
    setpw.add_argument("--password-stdin", action="store_true")
    setpw.set_defaults(func=cmd_set_password)
    onboarding.register(sub, admin_sub)
    i18n_tool.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `encv` command."""
    # Text in a terminal, JSON lines otherwise (ENCV_LOG_FORMAT overrides).
    configure_from(os.environ, "encv")
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
