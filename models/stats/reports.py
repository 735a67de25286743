"""The statistics reports of ``/api/stats/*`` (protocol §5.5), JSON and CSV.

Each report returns its JSON body and its CSV rows (header first); both are
cached for 30 minutes per realm and object, as in the original.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from db.cache import Cache
from db.pool import ConnectionSource
from db.queries.stats import reports as q
from models.clock import Clock
from models.errors import DomainError
from models.stats import rows as rows_fmt

CACHE_SECONDS = 1800.0
DAYS = 91
KEY_TYPES = {0: "device", 1: "admin", 2: "stats"}


class UnknownObject(DomainError):
    """The user or API key is not part of the caller's realm (401)."""

    def __init__(self):
        super().__init__("unauthorized", status=401)


@dataclass(frozen=True)
class Report:
    """A report's JSON body, CSV rows (header first) and CSV file stem."""

    json: object
    csv: list[list[str]]
    name: str


def slug(name: str) -> str:
    """Lower-case a name and turn runs of non-alphanumerics into ``-``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower())


class StatsReports:
    """Build stats reports for one realm, cached."""

    def __init__(self, db: ConnectionSource, cache: Cache, clock: Clock):
        self._db = db
        self._cache = cache
        self._clock = clock

    def report(self, kind: str, realm_id: int, object_id: int | None = None) -> Report:
        """Return report ``kind`` for the realm (``object_id`` for one user/key)."""
        builder: Callable = getattr(self, f"_{kind.replace('-', '_')}")

        def load():
            today = self._clock.now().astimezone(dt.UTC).date()
            days = [today - dt.timedelta(days=n) for n in range(DAYS)]  # newest first
            with self._db.connection() as conn:
                report = builder(conn, realm_id, days, object_id)
            return {"json": report.json, "csv": report.csv, "name": report.name}

        key = f"stats:{kind}:{realm_id}:{object_id if object_id is not None else ''}"
        data = self._cache.fetch(key, CACHE_SECONDS, load)
        return Report(data["json"], data["csv"], data["name"])

    def _realm(self, conn, realm_id, days, _):
        rows = q.realm_stats(conn, realm_id=realm_id, start=days[-1], end=days[0])
        if not rows:
            return Report({}, [], "realm-stats")
        by_day = {row.date: row for row in rows}
        stats = [(day, rows_fmt.realm_data(by_day.get(day))) for day in days]
        body = {
            "realm_id": realm_id,
            "statistics": [
                {"date": rows_fmt.rfc3339(d), "data": data} for d, data in stats
            ],
        }
        csv = [rows_fmt.REALM_CSV] + [rows_fmt.realm_csv(d, data) for d, data in stats]
        return Report(body, csv, "realm-stats")

    def _key_server(self, conn, realm_id, days, _):
        rows = q.key_server_days(conn, realm_id=realm_id, start=days[-1], end=days[0])
        by_day = {row.day.astimezone(dt.UTC).date(): row for row in rows}
        entries = [rows_fmt.ks_data(day, by_day.get(day)) for day in days]
        csv = [rows_fmt.KEY_SERVER_CSV] + [
            [
                e["day"][:10],
                *(str(e["publish_requests"][k]) for k in ("unknown", "android", "ios")),
                str(e["total_teks_published"]),
                str(e["requests_with_revisions"]),
                str(e["requests_missing_onset_date"]),
                rows_fmt.bar(e["tek_age_distribution"]),
                rows_fmt.bar(e["onset_to_upload_distribution"]),
            ]
            for e in entries
        ]
        return Report(entries, csv, "key-server-stats")

    def _composite(self, conn, realm_id, days, _):
        realm_rows = {
            row.date: row
            for row in q.realm_stats(
                conn, realm_id=realm_id, start=days[-1], end=days[0]
            )
        }
        ks_rows = {}
        if q.has_key_server_config(conn, realm_id=realm_id):
            ks_rows = {
                row.day.astimezone(dt.UTC).date(): row
                for row in q.key_server_days(
                    conn, realm_id=realm_id, start=days[-1], end=days[0]
                )
            }
        # NOTE(admin): kept from the original: empty days are trimmed from
        # the front of the working list, which runs oldest-first once
        # key-server days were merged; CSV rows follow that list.
        working = list(reversed(days)) if ks_rows else list(days)
        while working and working[0] not in realm_rows and working[0] not in ks_rows:
            working.pop(0)
        if not working:
            return Report({}, [], "composite-stats")
        entries = [
            (day, rows_fmt.composite_data(realm_rows.get(day), ks_rows.get(day)))
            for day in working
        ]
        ordered = sorted(entries, key=lambda e: e[0], reverse=True)
        body = {
            "realm_id": realm_id,
            "has_key_server_stats": bool(ks_rows),
            "statistics": [
                {"date": rows_fmt.rfc3339(d), "data": data} for d, data in ordered
            ],
        }
        csv = [rows_fmt.COMPOSITE_CSV] + [
            rows_fmt.composite_csv(day, realm_rows.get(day), data)
            for day, data in entries
        ]
        return Report(body, csv, "composite-stats")

    def _users(self, conn, realm_id, days, _):
        rows = q.user_stats(conn, realm_id=realm_id, start=days[-1], end=days[0])
        if not rows:
            return Report({}, [], "user-stats")
        people = {row.user_id: (row.name, row.email) for row in rows}
        counts = {(row.date, row.user_id): row.codes_issued for row in rows}
        stats, csv = (
            [],
            [["date", "realm_id", "user_id", "name", "email", "codes_issued"]],
        )
        for day in days:
            issuers = []
            for user_id, (name, email) in sorted(people.items()):
                issued = counts.get((day, user_id), 0)
                issuers.append(
                    {
                        "user_id": user_id,
                        "name": name,
                        "email": email,
                        "codes_issued": issued,
                    }
                )
                csv.append(
                    [
                        day.isoformat(),
                        str(realm_id),
                        str(user_id),
                        name,
                        email,
                        str(issued),
                    ]
                )
            stats.append({"date": rows_fmt.rfc3339(day), "issuer_data": issuers})
        return Report({"realm_id": realm_id, "statistics": stats}, csv, "user-stats")

    def _user(self, conn, realm_id, days, user_id):
        member = q.realm_member(conn, realm_id=realm_id, user_id=user_id)
        if member is None:
            raise UnknownObject()
        name, email = member
        rows = q.user_stats(
            conn, realm_id=realm_id, start=days[-1], end=days[0], user_id=user_id
        )
        counts = {row.date: row.codes_issued for row in rows}
        body = {
            "realm_id": realm_id,
            "user_id": user_id,
            "user_name": name,
            "user_email": email,
            "statistics": [
                {
                    "date": rows_fmt.rfc3339(d),
                    "data": {"codes_issued": counts.get(d, 0)},
                }
                for d in days
            ],
        }
        csv = [
            ["date", "realm_id", "user_id", "user_name", "user_email", "codes_issued"]
        ]
        csv += [
            [
                d.isoformat(),
                str(realm_id),
                str(user_id),
                name,
                email,
                str(counts.get(d, 0)),
            ]
            for d in days
        ]
        return Report(body, csv, slug(name))

    def _api_key(self, conn, realm_id, days, app_id):
        app = q.realm_app(conn, realm_id=realm_id, app_id=app_id)
        if app is None:
            raise UnknownObject()
        name, key_type = app
        type_name = KEY_TYPES.get(key_type, "invalid")
        by_day = {
            row.date: row
            for row in q.app_stats(conn, app_id=app_id, start=days[-1], end=days[0])
        }
        fields = (
            "codes_issued",
            "codes_claimed",
            "codes_invalid",
            "tokens_claimed",
            "tokens_invalid",
        )
        stats, csv = (
            [],
            [
                [
                    "date",
                    "authorized_app_id",
                    "authorized_app_name",
                    "authorized_app_type",
                    *fields,
                ]
            ],
        )
        for day in days:
            row = by_day.get(day)
            data = {f: getattr(row, f) if row else 0 for f in fields}
            stats.append({"date": rows_fmt.rfc3339(day), "data": data})
            csv.append(
                [
                    day.isoformat(),
                    str(app_id),
                    name,
                    type_name,
                    *(str(data[f]) for f in fields),
                ]
            )
        body = {
            "authorized_app_id": app_id,
            "authorized_app_name": name,
            "authorized_app_type": type_name,
            "statistics": stats,
        }
        return Report(body, csv, slug(name))

    def _external_issuers(self, conn, realm_id, days, _):
        rows = q.external_issuer_stats(
            conn, realm_id=realm_id, start=days[-1], end=days[0]
        )
        return _keyed(
            realm_id,
            rows,
            "issuer_data",
            "issuer_id",
            "codes_issued",
            "external-issuer-stats",
        )

    def _sms_errors(self, conn, realm_id, days, _):
        rows = q.sms_error_stats(conn, realm_id=realm_id, start=days[-1], end=days[0])
        return _keyed(
            realm_id, rows, "error_data", "error_code", "quantity", "sms-error-stats"
        )


def _keyed(realm_id, rows, list_name, key_name, count_name, file_name) -> Report:
    if not rows:
        return Report({}, [], file_name)
    grouped: dict[dt.date, list] = {}
    for row in rows:
        grouped.setdefault(row.date, []).append(row)
    stats = [
        {
            "date": rows_fmt.rfc3339(day),
            list_name: [{key_name: r.key, count_name: r.quantity} for r in items],
        }
        for day, items in grouped.items()
    ]
    csv = [["date", "realm_id", key_name, count_name]] + [
        [r.date.isoformat(), str(realm_id), r.key, str(r.quantity)] for r in rows
    ]
    return Report({"realm_id": realm_id, "statistics": stats}, csv, file_name)
