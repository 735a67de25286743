"""``/realm/keys`` (certificate keys, §5.3) and ``/realm/sms-keys`` (§5.4)."""

from __future__ import annotations

import falcon

from models.accounts.rbac import Permission
from models.keys import realm_keys
from models.realms.forms import format_duration, parse_duration, text
from models.realms.lookup import forget_realm, realm_by_id
from ui.guards import requires
from ui.resources.realm_settings.settings import actor_of, form_of
from ui.web import redirect


class _KeyPage:
    """What both key pages share: listing, create, activate, destroy."""

    family: realm_keys.KeyFamily
    path: str
    template: str

    def __init__(self, pages, services, realm_settings):
        self._pages = pages
        self._db = services.db
        self._keystore = services.keystore
        self._cache = services.cache
        self._tokens = services.settings.tokens
        self._max_keys = services.settings.duties.db_max_key_versions
        self._realms = realm_settings

    def _flash(self, req, kind: str, message: str) -> None:
        req.context.session.flash(kind, message)

    def _stale(self, realm_id: int) -> None:
        # Both JWKS documents list realm keys, and the certificate signer
        # picks the active key through the realm row.
        realm_keys.forget_jwks(self._cache, realm_id)
        forget_realm(self._cache, realm_id)

    def _create(self, req, resp):
        realm = req.context.realm
        try:
            with self._db.connection() as conn:
                kid = realm_keys.create_key(
                    conn,
                    self._keystore,
                    self.family,
                    realm,
                    actor_of(req),
                    max_versions=self._max_keys,
                )
        except realm_keys.KeyRefused as ex:
            self._flash(req, "error", str(ex))
            return self._render(req, resp, status=422)
        self._stale(realm.id)
        self._flash(req, "alert", self.created_message(kid))
        raise redirect(self.path)

    def _activate(self, req, resp):
        realm = req.context.realm
        raw = text(form_of(req), "id")
        try:
            if not raw.isdigit():
                raise realm_keys.KeyRefused("id is required")
            with self._db.connection() as conn:
                kid = realm_keys.activate_key(
                    conn, self.family, realm, int(raw), actor_of(req)
                )
        except realm_keys.KeyRefused as ex:
            self._flash(req, "error", f"Failed to activate key: {ex}")
            return self._render(req, resp, status=422)
        self._stale(realm.id)
        self._flash(req, "alert", self.activated_message(kid))
        raise redirect(self.path)

    @requires(Permission.SETTINGS_WRITE)
    def on_delete_action(self, req, resp, action: str):
        """Destroy an inactive key; an unknown id is a silent success."""
        realm = req.context.realm
        if action.isdigit():
            try:
                with self._db.connection() as conn:
                    realm_keys.destroy_key(
                        conn,
                        self._keystore,
                        self.family,
                        realm,
                        int(action),
                        actor_of(req),
                    )
            except realm_keys.KeyRefused as ex:
                self._flash(req, "error", f"Failed to destroy key: {ex}")
                return self._render(req, resp, status=422)
            self._stale(realm.id)
        self._flash(req, "alert", self.destroyed_message)
        raise redirect(self.path)

    def _keys(self, conn, realm_id: int):
        return realm_keys.list_keys(conn, self.family, realm_id)

    def _render(self, req, resp, status: int = 200) -> None:
        realm_id = req.context.realm.id
        with self._db.connection() as conn:
            realm = realm_by_id(conn, realm_id)
            values = self.page_values(conn, realm)
            keys = self._keys(conn, realm_id)
        self._pages.render(
            req,
            resp,
            self.template,
            status=status,
            r=realm,
            keys=keys,
            active=next((k for k in keys if k.active), None),
            max_keys=self._max_keys,
            **values,
        )


class CertificateKeys(_KeyPage):
    """Realm certificate signing keys and the upgrade from the system key."""

    family = realm_keys.CERTIFICATE
    path = "/realm/keys"
    template = "realm/keys.mako"
    destroyed_message = "Successfully destroyed signing key!"

    @staticmethod
    def created_message(kid: str) -> str:
        """Flash after a create."""
        return (
            f'Created new key ID "{kid}". Communicate the new key material '
            "(below) to your key server operator."
        )

    @staticmethod
    def activated_message(kid: str) -> str:
        """Flash after an activation."""
        return f"Updated active signing key to {kid}."

    def page_values(self, conn, realm) -> dict:
        """System key and certificate settings for the template."""
        return {
            "title": "Signing keys",
            "system": realm_keys.system_key(conn, self._keystore),
            "tokens": self._tokens,
            "duration": format_duration(realm.certificate_duration or 900),
            "system_duration": format_duration(self._tokens.certificate_duration),
        }

    @requires(Permission.SETTINGS_READ)
    def on_get(self, req, resp):
        """Show the system or realm key, the settings and the key list."""
        self._render(req, resp)

    @requires(Permission.SETTINGS_WRITE)
    def on_post_action(self, req, resp, action: str):
        """Dispatch save, create, upgrade, automatic, manual and activate."""
        handlers = {
            "save": self._save,
            "create": self._create,
            "upgrade": self._upgrade,
            "automatic": lambda q, r: self._rotation(q, r, True),
            "manual": lambda q, r: self._rotation(q, r, False),
            "activate": self._activate,
        }
        if action not in handlers:
            raise falcon.HTTPNotFound()
        return handlers[action](req, resp)

    def _save(self, req, resp):
        realm = req.context.realm
        form = form_of(req)
        columns = {}
        try:
            columns["certificate_duration"] = parse_duration(
                text(form, "certificate_duration")
            )
        except ValueError as ex:
            self._flash(req, "error", str(ex))
            return self._render(req, resp, status=422)
        if not realm.use_realm_certificate_key:
            columns["certificate_issuer"] = text(form, "certificate_issuer")[:150]
            columns["certificate_audience"] = text(form, "certificate_audience")[:150]
        self._realms.set_columns(realm.id, columns, actor_of(req))
        self._flash(req, "alert", "Updated realm certificate settings.")
        raise redirect(self.path)

    def _upgrade(self, req, resp):
        realm = req.context.realm
        with self._db.connection() as conn:
            has_active = any(k.active for k in self._keys(conn, realm.id))
        if realm.use_realm_certificate_key:
            self._flash(req, "error", "Already using realm specific signing keys.")
            return self._render(req, resp, status=422)
        if not (realm.certificate_issuer and realm.certificate_audience and has_active):
            self._flash(
                req,
                "error",
                "Issuer and Audience settings not complete, cannot upgrade."
                if has_active or not realm.certificate_issuer
                else "Create a signing key before upgrading.",
            )
            return self._render(req, resp, status=422)
        self._realms.set_columns(
            realm.id, {"use_realm_certificate_key": True}, actor_of(req)
        )
        self._flash(
            req, "alert", "Successfully switched to realm specific signing keys."
        )
        raise redirect(self.path)

    def _rotation(self, req, resp, automatic: bool):
        realm = req.context.realm
        if automatic and not realm.use_realm_certificate_key:
            error = (
                "You must upgrade to realm-specific signing keys before "
                "enabling automatic rotation."
            )
        elif realm.auto_rotate_certificate_key == automatic:
            error = (
                f"Already in {'automatic' if automatic else 'manual'} key rotation mode"
            )
        else:
            error = ""
        if error:
            self._flash(req, "error", error)
            return self._render(req, resp, status=422)
        self._realms.set_columns(
            realm.id, {"auto_rotate_certificate_key": automatic}, actor_of(req)
        )
        mode = "automatic" if automatic else "manual"
        self._flash(req, "alert", f"Switched to {mode} key rotation.")
        raise redirect(self.path)


class SmsKeys(_KeyPage):
    """SMS signing keys and the authenticated-SMS switch."""

    family = realm_keys.SMS
    path = "/realm/sms-keys"
    template = "realm/sms_keys.mako"
    destroyed_message = "Successfully destroyed SMS signing key"

    @staticmethod
    def created_message(kid: str) -> str:
        """Flash after a create."""
        return f"Successfully created new key {kid}"

    @staticmethod
    def activated_message(kid: str) -> str:
        """Flash after an activation."""
        return f"Updated active SMS signing key to {kid}"

    def page_values(self, conn, realm) -> dict:
        """Nothing beyond the key list."""
        return {"title": "SMS signing keys"}

    @requires(Permission.SETTINGS_READ)
    def on_get(self, req, resp):
        """Show authenticated-SMS status and the key list."""
        self._render(req, resp)

    @requires(Permission.SETTINGS_WRITE)
    def on_post(self, req, resp):
        """Create a key version (the first becomes active)."""
        self._create(req, resp)

    @requires(Permission.SETTINGS_WRITE)
    def on_post_action(self, req, resp, action: str):
        """``activate`` (POST); enable/disable also accept POST."""
        if action == "activate":
            return self._activate(req, resp)
        return self._switch(req, resp, action)

    @requires(Permission.SETTINGS_WRITE)
    def on_put_action(self, req, resp, action: str):
        """``PUT /realm/sms-keys/enable|disable``."""
        self._switch(req, resp, action)

    def _switch(self, req, resp, action: str):
        if action not in ("enable", "disable"):
            raise falcon.HTTPNotFound()
        realm = req.context.realm
        on = action == "enable"
        with self._db.connection() as conn:
            has_active = any(k.active for k in self._keys(conn, realm.id))
        if bool(realm.use_authenticated_sms) == on:
            error = f"Authenticated SMS is already {action}d."
        elif on and not has_active:
            error = "Create an SMS signing key before enabling authenticated SMS."
        else:
            error = ""
        if error:
            self._flash(req, "error", error)
            return self._render(req, resp, status=422)
        self._realms.set_columns(realm.id, {"use_authenticated_sms": on}, actor_of(req))
        self._flash(
            req,
            "alert",
            "Successfully enabled authenticated SMS."
            if on
            else "Successfully disabled Authenticated SMS.",
        )
        raise redirect(self.path)
