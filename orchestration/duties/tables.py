"""The statistics tables the request path writes, as external assets (§13).

Dagster does not materialise them; declaring them shows their lineage (the
modeler reads ``realm_stats``, the SMS-error e-mail reads ``sms_error_stats``,
cleanup purges them all) and where each one comes from.
"""

from dagster import AssetSpec

_WRITERS = {
    "realm_stats": "issue, verify and certificate counters per realm and day",
    "authorized_app_stats": "issue and claim counters per API key and day",
    "user_stats": "codes issued per case worker and day",
    "external_issuer_stats": "codes issued per external issuer id and day",
    "sms_error_stats": "SMS provider errors per realm and day (Twilio webhook)",
    "realm_chaff_events": "days on which a realm's apps sent chaff",
    "audit_entries": "the append-only audit log of every state change",
}


def _spec(table: str, written_by: str) -> AssetSpec:
    return AssetSpec(
        table,
        description=f"External table written by the request path: {written_by}.",
        group_name="stats",
        metadata={"table": table, "written_by": "apiserver, adminapi, server"},
    )


STATS_TABLES = {table: _spec(table, text) for table, text in _WRITERS.items()}
realm_stats = STATS_TABLES["realm_stats"]
