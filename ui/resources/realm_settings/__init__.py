"""Realm settings, certificate keys and SMS keys pages (ui-and-data §5.2-§5.4)."""

from __future__ import annotations

import falcon

from models.codes.quota import build_quota_admin
from models.realms.realm_settings import RealmSettings
from ui.resources.realm_settings import keys, settings


def register(app: falcon.App, services, pages) -> None:
    """Add ``/realm/settings``, ``/realm/keys`` and ``/realm/sms-keys`` routes."""
    cfg = services.settings
    quota = build_quota_admin(services)
    realm_settings = RealmSettings(
        services.db,
        services.envelope,
        services.cache,
        quota,
        emailer=cfg.ops.enable_emailer,
        enx_domain=cfg.codes.enx_redirect_domain,
    )
    page = settings.SettingsPage(pages, realm_settings, cfg)
    app.add_route("/realm/settings", page)
    app.add_route("/realm/settings/enable-express", page, suffix="enable")
    app.add_route("/realm/settings/disable-express", page, suffix="disable")
    certs = keys.CertificateKeys(pages, services, realm_settings)
    app.add_route("/realm/keys", certs)
    app.add_route("/realm/keys/{action}", certs, suffix="action")
    sms = keys.SmsKeys(pages, services, realm_settings)
    app.add_route("/realm/sms-keys", sms)
    app.add_route("/realm/sms-keys/{action}", sms, suffix="action")
