"""Row shapes of the stats reports: JSON ``data`` objects and CSV cells."""

from __future__ import annotations

import datetime as dt

from db.queries.stats import reports as q

ZERO_TIME = "0001-01-01T00:00:00Z"

REALM_CSV = (
    "date,codes_issued,codes_claimed,codes_invalid,tokens_claimed,tokens_invalid,"
    "code_claim_mean_age_seconds,code_claim_age_distribution,user_reports_issued,"
    "user_reports_claimed,user_report_tokens_claimed,codes_invalid_unknown_os,"
    "codes_invalid_ios,codes_invalid_android,user_reports_invalid_nonce,"
    "user_report_invalid_nonce_unknown_os,user_report_invalid_nonce_ios,"
    "user_report_invalid_nonce_android"
).split(",")
KEY_SERVER_CSV = (
    "day,publish_requests_unknown,publish_requests_android,publish_requests_ios,"
    "total_teks_published,requests_with_revisions,requests_missing_onset_date,"
    "tek_age_distribution,onset_to_upload_distribution"
).split(",")
COMPOSITE_CSV = (
    "date,codes_issued,codes_claimed,codes_invalid,tokens_claimed,tokens_invalid,"
    "code_claim_mean_age_seconds,code_claim_age_distribution,"
    "publish_requests_unknown,publish_requests_android,publish_requests_ios,"
    "total_teks_published,requests_with_revisions,requests_missing_onset_date,"
    "tek_age_distribution,onset_to_upload_distribution,user_reports_issued,"
    "user_reports_claimed,user_report_tokens_claimed,codes_invalid_unknown_os,"
    "codes_invalid_ios,codes_invalid_android,user_reports_invalid_nonce,"
    "user_reports_invalid_nonce_unknown_os,user_reports_invalid_nonce_ios,"
    "user_reports_invalid_nonce_android"
).split(",")


def rfc3339(day: dt.date) -> str:
    """Format a date as midnight UTC in RFC 3339."""
    return f"{day.isoformat()}T00:00:00Z"


def bar(values) -> str:
    """Join a distribution with ``|`` for a CSV cell."""
    return "|".join(str(v) for v in values)


def _by_os(values: list[int], total: int) -> dict:
    unknown, ios, android = (list(values) + [0, 0, 0])[:3]
    # Counts recorded without an OS are reported as unknown.
    unknown += max(0, total - unknown - ios - android)
    return {"unknown_os": unknown, "ios": ios, "android": android}


def realm_data(row: q.RealmStatsRow | None) -> dict:
    """Return a realm day's ``data`` object (zeros without a row)."""
    if row is None:
        row = q.RealmStatsRow(
            None, 0, 0, 0, 0, 0, 0, 0, 0, 0, [0, 0, 0], [0, 0, 0], [], 0
        )
    return {
        "codes_issued": row.codes_issued,
        "codes_claimed": row.codes_claimed,
        "codes_invalid": row.codes_invalid,
        "codes_invalid_by_os": _by_os(row.codes_invalid_by_os, 0),
        "user_reports_issued": row.user_reports_issued,
        "user_reports_claimed": row.user_reports_claimed,
        "user_reports_invalid_nonce": row.user_reports_invalid_nonce,
        "user_reports_invalid_nonce_by_os": _by_os(
            row.user_reports_invalid_nonce_by_os, row.user_reports_invalid_nonce
        ),
        "tokens_claimed": row.tokens_claimed,
        "tokens_invalid": row.tokens_invalid,
        "user_report_tokens_claimed": row.user_report_tokens_claimed,
        "code_claim_mean_age_seconds": row.code_claim_mean_age,
        "code_claim_age_distribution": (
            list(row.code_claim_age_distribution) if row.codes_claimed else []
        ),
    }


def realm_csv(day: dt.date, data: dict) -> list[str]:
    """Return a realm.csv row."""
    by_os, nonce_os = (
        data["codes_invalid_by_os"],
        data["user_reports_invalid_nonce_by_os"],
    )
    values = [
        data["codes_issued"],
        data["codes_claimed"],
        data["codes_invalid"],
        data["tokens_claimed"],
        data["tokens_invalid"],
        data["code_claim_mean_age_seconds"],
        bar(data["code_claim_age_distribution"]),
        data["user_reports_issued"],
        data["user_reports_claimed"],
        data["user_report_tokens_claimed"],
        by_os["unknown_os"],
        by_os["ios"],
        by_os["android"],
        data["user_reports_invalid_nonce"],
        nonce_os["unknown_os"],
        nonce_os["ios"],
        nonce_os["android"],
    ]
    return [day.isoformat(), *(str(v) for v in values)]


def _publish(values: list[int]) -> dict:
    unknown, android, ios = (list(values) + [0, 0, 0])[:3]
    return {"unknown": unknown, "android": android, "ios": ios}


def ks_data(day: dt.date, row: q.KeyServerDayRow | None) -> dict:
    """Return a key-server day (zeros without data)."""
    return {
        "day": rfc3339(day),
        "publish_requests": _publish(row.publish_requests if row else []),
        "total_teks_published": row.total_teks_published if row else 0,
        "requests_with_revisions": row.revision_requests if row else 0,
        "tek_age_distribution": list(row.tek_age_distribution) if row else [0] * 16,
        "onset_to_upload_distribution": (
            list(row.onset_to_upload_distribution) if row else [0] * 30
        ),
        "requests_missing_onset_date": row.request_missing_onset_date if row else 0,
    }


def composite_data(realm_row, ks_row) -> dict:
    """Return a composite day's ``data`` object."""
    data = realm_data(realm_row)
    publish = _publish(ks_row.publish_requests if ks_row else [])
    data.update(
        {
            "day": ZERO_TIME,
            "publish_requests": publish,
            "total_teks_published": ks_row.total_teks_published if ks_row else 0,
            "requests_with_revisions": ks_row.revision_requests if ks_row else 0,
            "tek_age_distribution": list(ks_row.tek_age_distribution)
            if ks_row
            else None,
            "onset_to_upload_distribution": (
                list(ks_row.onset_to_upload_distribution) if ks_row else None
            ),
            "requests_missing_onset_date": (
                ks_row.request_missing_onset_date if ks_row else 0
            ),
            "total_publish_requests": sum(publish.values()),
        }
    )
    return data


def composite_csv(day, realm_row, data) -> list[str]:
    """Return a composite.csv row (missing halves as empty cells)."""
    realm_cells = realm_csv(day, data)[1:] if realm_row else [""] * 17
    has_ks = data["tek_age_distribution"] is not None
    publish = data["publish_requests"]
    ks_cells = (
        [
            str(publish["unknown"]),
            str(publish["android"]),
            str(publish["ios"]),
            str(data["total_teks_published"]),
            str(data["requests_with_revisions"]),
            str(data["requests_missing_onset_date"]),
            bar(data["tek_age_distribution"]),
            bar(data["onset_to_upload_distribution"]),
        ]
        if has_ks
        else [""] * 8
    )
    return [day.isoformat(), *realm_cells[:7], *ks_cells, *realm_cells[7:]]
