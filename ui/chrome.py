"""What the page shell (base.mako) shows around every page: menus and banners."""

from __future__ import annotations

from collections.abc import Callable

from api.common.i18n import N_, Formatter
from db.rows import Realm
from models.accounts.rbac import Permission
from ui.richtext import markdown_html

# Flash kind (session) -> Bootstrap alert class and icon.
FLASH_CLASSES = {
    "alert": "alert-success",
    "warning": "alert-warning",
    "error": "alert-danger",
}
FLASH_ICONS = {
    "alert": "bi-check-circle-fill",
    "warning": "bi-exclamation-triangle-fill",
    "error": "bi-x-octagon-fill",
}

# The realm admin's menu (§1.4): (permission, path, icon, message id).
REALM_ADMIN_LINKS = (
    (
        Permission.SETTINGS_READ,
        "/realm/settings#general",
        "bi-gear",
        N_("nav.settings"),
    ),
    (Permission.SETTINGS_READ, "/realm/keys", "bi-key", N_("nav.signing-keys")),
    (
        Permission.SETTINGS_READ,
        "/realm/sms-keys",
        "bi-chat-square-dots",
        N_("nav.sms-signing-keys"),
    ),
    (Permission.USER_READ, "/realm/users", "bi-people", N_("nav.users")),
    (Permission.API_KEY_READ, "/realm/apikeys", "bi-key-fill", N_("nav.api-keys")),
    (
        Permission.MOBILE_APP_READ,
        "/realm/mobile-apps",
        "bi-phone",
        N_("nav.mobile-apps"),
    ),
    (Permission.STATS_READ, "/realm/stats", "bi-graph-up", N_("nav.statistics")),
    (Permission.AUDIT_READ, "/realm/events", "bi-journal-text", N_("nav.events")),
)

# The system admin's menu (§5.10), English only as the original; None = divider.
SYSTEM_ADMIN_LINKS = (
    ("/admin/realms", "bi-buildings", "Realms"),
    ("/admin/users?filter=systemAdmins", "bi-person-badge", "System admins"),
    ("/admin/users", "bi-people", "Users"),
    ("/admin/mobile-apps", "bi-phone", "Mobile apps"),
    None,
    ("/admin/sms", "bi-chat-dots", "SMS"),
    ("/admin/email", "bi-envelope", "Email"),
    None,
    ("/admin/events", "bi-journal-text", "Events"),
    ("/admin/caches", "bi-arrow-repeat", "Caches"),
    ("/admin/info", "bi-info-circle", "Info"),
)


def realm_admin_links(can: Callable[[Permission], bool]) -> list:
    """Return (path, icon, message id) of the realm pages the member may open."""
    return [
        (path, icon, label)
        for perm, path, icon, label in REALM_ADMIN_LINKS
        if can(perm)
    ]


def _claims_anomalous(realm: Realm) -> bool:
    if not realm.codes_claimed_ratio_mean:
        return False  # the modeler never ran for this realm
    # Imported late: the modeler module pulls in the forecast's numeric stack.
    from models.duties.modeler import is_anomalous

    return is_anomalous(realm)


def realm_banners(
    realm: Realm | None,
    can: Callable[[Permission], bool],
    features: dict,
    t: Callable[..., str],
    fmt: Formatter | None = None,
) -> list[tuple[str, str, str]]:
    """Return the realm banners (§1.4) as (link, sentence, link text)."""
    if realm is None:
        return []
    found = []
    if (
        features.get("emailer")
        and not realm.contact_email_addresses
        and can(Permission.SETTINGS_WRITE)
    ):
        found.append(
            (
                "/realm/settings#general",
                t("nav.no-contact-email"),
                t("nav.configure-contact-email"),
            )
        )
    if can(Permission.STATS_READ) and _claims_anomalous(realm):
        fmt = fmt or Formatter("en")
        last = fmt.percent(float(realm.last_codes_claimed_ratio), decimals=1)
        mean = fmt.percent(float(realm.codes_claimed_ratio_mean), decimals=1)
        found.append(
            (
                "/realm/stats",
                t("codes.codes-claimed-ratio-anomalous", last, mean),
                t("nav.statistics"),
            )
        )
    return found


MAINTENANCE_NOTICE = (
    "This server is in maintenance mode: it is read-only and issuing codes will fail."
)


def system_notice_html(notice: str, maintenance_mode: bool) -> str:
    """Return the red banner of every page (§1.1 item 7) as safe HTML, or ""."""
    parts = [f"<p>{MAINTENANCE_NOTICE}</p>"] if maintenance_mode else []
    rendered = markdown_html(notice)
    if rendered:
        parts.append(rendered)
    return "\n".join(parts)
