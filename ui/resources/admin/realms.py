"""``/admin`` and ``/admin/realms``: list, create, edit and join realms (§5.10)."""

from __future__ import annotations

import falcon

from models.accounts import invites, members, system_email
from models.accounts import mail as mailer
from models.accounts.rbac import LEGACY_REALM_ADMIN
from models.codes import quota, system_sms
from models.errors import DomainError, NotFound
from models.realms import admin as realm_cases
from models.realms.lookup import forget_realm
from ui import paging
from ui.guards import system_admin
from ui.resources.admin.common import actor, form, search
from ui.web import redirect


class AdminRoot:
    """``/admin`` and ``/admin/`` lead to the realm list."""

    @falcon.before(system_admin)
    def on_get(self, req, resp):
        """Redirect to ``/admin/realms``."""
        raise redirect("/admin/realms")


@falcon.before(system_admin)
class Realms:
    """``GET /admin/realms`` (search, paging), ``GET .../new``, ``POST`` create."""

    def __init__(self, pages, db, keystore, clock):
        self._pages, self._db, self._keystore, self._clock = pages, db, keystore, clock

    def on_get(self, req, resp):
        """List realms by name, with the chaff and feature columns."""
        query = search(req)
        with self._db.connection() as conn:
            page = paging.page_of(req, realm_cases.count_realms(conn, query))
            realms = realm_cases.search_realms(conn, query, page.limit, page.offset)
            chaff = realm_cases.chaff_week(
                conn, [r.id for r in realms], self._clock.now().date()
            )
        self._pages.render(
            req,
            resp,
            "admin/realms.mako",
            title="Realms",
            realms=realms,
            chaff={rid: sum(seen for _, seen in week) for rid, week in chaff.items()},
            query=query,
            page=page,
            page_url=lambda n: paging.page_url(req, n),
        )

    def on_get_new(self, req, resp):
        """Render the creation form."""
        self._new(req, resp, {})

    def _new(self, req, resp, values, status=200):
        with self._db.connection() as conn:
            has_sms = bool(system_sms.load(conn).account_sid)
            has_email = bool(system_email.load(conn).host)
        self._pages.render(
            req,
            resp,
            "admin/realm_new.mako",
            status=status,
            title="New realm",
            values=values,
            has_sms=has_sms,
            has_email=has_email,
        )

    def on_post(self, req, resp):
        """Create the realm, add the creator as its admin, make its first key."""
        values, session = form(req), req.context.session
        new = realm_cases.NewRealm(
            name=values.get("name", ""),
            region_code=values.get("regionCode", ""),
            use_realm_certificate_key=values.get("useRealmCertificateKey") == "true",
            certificate_issuer=values.get("certificateIssuer", ""),
            certificate_audience=values.get("certificateAudience", ""),
            can_use_system_sms_config=values.get("can_use_system_sms_config") == "true",
            can_use_system_email_config=values.get("can_use_system_email_config")
            == "true",
        )
        who = actor(req)
        try:
            with self._db.connection() as conn:
                created = realm_cases.create_realm(
                    conn, new, actor=who, keystore=self._keystore
                )
                realm_cases.join_realm(
                    conn, created.realm_id, req.context.user.id, actor=who
                )
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._new(req, resp, values, status=422)
        session.flash("alert", f"Created realm {created.name}")
        session.flash("alert", f"Added you as an administrator of {created.name}")
        if created.key_error:
            session.flash(
                "error",
                "Failed to create signing keys for realm. This can be done from the"
                " realm's admin screens.",
            )
            raise redirect("/admin/realms")
        if created.key_kid:
            session.flash("alert", f"Created initial signing key {created.key_kid}")
        raise redirect(f"/admin/realms/{created.realm_id}/edit")


@falcon.before(system_admin)
class RealmEdit:
    """``GET /admin/realms/{id}/edit`` and ``PATCH /admin/realms/{id}``."""

    def __init__(self, pages, db, cache, clock, settings):
        self._pages, self._db, self._cache = pages, db, cache
        self._clock, self._settings = clock, settings

    def on_get_edit(self, req, resp, realm_id):
        """Show the realm's system settings and state."""
        self._render(req, resp, realm_id)

    def _render(self, req, resp, realm_id, status=200):
        now = self._clock.now()
        with self._db.connection() as conn:
            realm = realm_cases.get_realm(conn, realm_id)
            if realm is None:
                raise falcon.HTTPNotFound()
            week = realm_cases.chaff_week(conn, [realm.id], now.date())[realm.id]
            translations = realm_cases.translations(conn, realm.id)
        member = any(m.realm_id == realm.id for m in req.context.memberships)
        self._pages.render(
            req,
            resp,
            "admin/realm_edit.mako",
            status=status,
            title=f"Realm {realm.name}",
            r=realm,
            chaff=week,
            translations=translations,
            is_member=member,
            quota_limit=quota.effective_limit(
                realm.abuse_prevention_limit, realm.abuse_prevention_limit_factor
            )
            if realm.abuse_prevention_enabled
            else None,
        )

    def on_patch(self, req, resp, realm_id):
        """Save the system-level fields."""
        session = req.context.session
        try:
            values = realm_cases.parse_system_fields(form(req))
            with self._db.connection() as conn:
                changed = realm_cases.update_system_fields(
                    conn, realm_id, values, actor=actor(req)
                )
        except NotFound:
            raise falcon.HTTPNotFound() from None
        except DomainError as ex:
            session.flash("error", ex.message)
            return self._render(req, resp, realm_id, status=422)
        forget_realm(self._cache, realm_id)
        session.flash(
            "alert", "Successfully updated realm" if changed else "Nothing changed"
        )
        raise redirect(f"/admin/realms/{realm_id}/edit")


@falcon.before(system_admin)
class RealmMembership:
    """``PATCH /admin/realms/{realm_id}/add|remove/{user_id}``."""

    def __init__(self, db):
        self._db = db

    def on_patch_add(self, req, resp, realm_id, user_id):
        """Add the user to the realm as its administrator."""
        with self._db.connection() as conn:
            try:
                realm = realm_cases.join_realm(
                    conn, realm_id, user_id, actor=actor(req)
                )
            except NotFound:
                raise falcon.HTTPNotFound() from None
        req.context.session.flash("alert", f"Successfully added to {realm.name}")
        raise redirect(_back(req, f"/admin/realms/{realm_id}/edit"))

    def on_patch_remove(self, req, resp, realm_id, user_id):
        """Remove the user from the realm (and forget it in this session)."""
        with self._db.connection() as conn:
            try:
                realm = realm_cases.leave_realm(
                    conn, realm_id, user_id, actor=actor(req)
                )
            except NotFound:
                raise falcon.HTTPNotFound() from None
        session = req.context.session
        if user_id == req.context.user.id and session.data.get("realm") == realm_id:
            session.data.pop("realm", None)
        session.flash("alert", f"Successfully removed from {realm.name}")
        raise redirect(_back(req, f"/admin/realms/{realm_id}/edit"))


@falcon.before(system_admin)
class RealmInvite:
    """``POST /admin/realms/{realm_id}/invite``: add and invite a realm admin."""

    def __init__(self, db, clock, settings, envelope):
        self._db, self._clock = db, clock
        self._ui, self._envelope = settings.ui, envelope

    def _invite(self, req, realm_id: int, values: dict, *, send_email: bool):
        email = values.get("email", "")
        with self._db.connection() as conn:
            return members.invite_member(
                conn,
                self._ui,
                realm_id=realm_id,
                email=email,
                name=values.get("name", "") or invites.clean_person_name(None, email),
                permissions=[int(LEGACY_REALM_ADMIN)],
                actor=actor(req),
                now=self._clock.now(),
                envelope=self._envelope,
                send_email=send_email,
            )

    def on_post(self, req, resp, realm_id):
        """Invite the realm's administrator (mailed, or the link shown)."""
        values, session = form(req), req.context.session
        try:
            invited = self._invite(req, realm_id, values, send_email=True)
        except mailer.MailError:
            # No SMTP anywhere: add them anyway and show the link to pass on.
            try:
                invited = self._invite(req, realm_id, values, send_email=False)
            except DomainError as ex:
                session.flash("error", ex.message)
                raise redirect(f"/admin/realms/{realm_id}/edit") from None
        except DomainError as ex:
            session.flash("error", getattr(ex, "message", str(ex)))
            raise redirect(f"/admin/realms/{realm_id}/edit") from None
        if invited.mailed:
            session.flash("alert", f"Invitation sent to {invited.email}")
        elif invited.set_password_url:
            session.flash(
                "warning",
                f"No email is configured; send {invited.email} this set-password"
                f" link: {invited.set_password_url}",
            )
        else:
            session.flash("alert", f"Added {invited.email} as a realm administrator")
        raise redirect(f"/admin/realms/{realm_id}/edit")


def _back(req, fallback: str) -> str:
    """Return the form's own page when it says so (only local paths)."""
    target = form(req).get("back", "")
    return target if target.startswith("/admin/") else fallback
