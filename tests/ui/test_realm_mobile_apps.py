"""``/realm/mobile-apps``: validation, audit, and the redirector's files follow."""

from __future__ import annotations

import falcon.testing
import pytest

from api.redirect.app import create_app as redirect_app
from db.pool import SingleConnectionSource
from models.accounts.rbac import Permission
from models.realms.mobile_apps import AppForm, parse_fingerprints, validate
from models.services import build_services
from models.settings import Settings
from tests.support import make_env
from tests.ui.people import assert_refused, audit_rows, count, shown

P = Permission
SHA = ":".join(["AB"] * 32)
SHA2 = ":".join(["0f"] * 32)
ANDROID = {
    "name": "Covid Alert",
    "os": "2",
    "app_id": "org.example.covid",
    "url": "https://play.google.com/store/apps/details?id=org.example.covid",
    "sha": f"{SHA}\n{SHA2}",
    "enable_redirect": "on",
}


def _apps(conn) -> int:
    return count(conn, "SELECT count(*) FROM mobile_apps")


def _create(client, **overrides):
    client.get("/realm/mobile-apps/new")
    return client.form("/realm/mobile-apps", {**ANDROID, **overrides})


@pytest.fixture
def redirector(conn, ui_services):
    """The enx-redirect over the same database, sharing the UI's cache (Redis-like)."""
    env = make_env(DEV_MODE="true", HOSTNAME_TO_REGION="demo:us-demo")
    services = build_services(Settings.from_env(env), db=SingleConnectionSource(conn))
    services.cache = ui_services.cache
    yield falcon.testing.TestClient(redirect_app(services))
    services.close()


def _assetlinks(client) -> list[str]:
    resp = client.simulate_get("/.well-known/assetlinks.json", headers={"Host": "demo"})
    assert resp.status_code == 200
    return [entry["target"]["package_name"] for entry in resp.json]


@pytest.mark.parametrize(
    ("method", "path", "bits"),
    [
        ("GET", "/realm/mobile-apps", 0),
        ("GET", "/realm/mobile-apps/{id}", 0),
        ("GET", "/realm/mobile-apps/new", int(P.MOBILE_APP_READ)),
        ("GET", "/realm/mobile-apps/{id}/edit", int(P.MOBILE_APP_READ)),
        ("POST", "/realm/mobile-apps", int(P.MOBILE_APP_READ)),
        ("PATCH", "/realm/mobile-apps/{id}", int(P.MOBILE_APP_READ)),
        ("PATCH", "/realm/mobile-apps/{id}/disable", int(P.MOBILE_APP_READ)),
        ("PATCH", "/realm/mobile-apps/{id}/enable", int(P.MOBILE_APP_READ)),
    ],
)
def test_every_route_needs_its_bit(app, conn, demo, method, path, bits):
    app_id = conn.execute(
        "SELECT id FROM mobile_apps WHERE realm_id = %s ORDER BY id LIMIT 1",
        (demo.realm_id,),
    ).fetchone()[0]
    assert_refused(app, conn, demo, "mobile_apps", method, path.format(id=app_id), bits)


def test_csrf_is_required(signed_in, conn):
    before = _apps(conn)
    signed_in.get("/realm/mobile-apps/new")
    assert signed_in.form("/realm/mobile-apps", ANDROID, csrf=False).status_code == 401
    assert _apps(conn) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "cannot be blank"),
        ({"os": "3"}, "is invalid"),
        ({"app_id": ""}, "cannot be blank"),
        ({"app_id": "not a package"}, "must be a package name"),
        ({"sha": ""}, "cannot be blank"),
        ({"sha": "AB:CD"}, "must be 95 characters (got 5)"),
        ({"sha": SHA.replace("AB", "ZZ")}, "32 colon-separated hexadecimal bytes"),
        ({"url": "javascript:alert(1)"}, "must start with https://"),
        ({"os": "1", "app_id": "com"}, "team prefix and bundle id"),
        ({"name": "Demo EN Android"}, "must be unique"),
    ],
)
def test_bad_input_is_answered_on_the_form(signed_in, conn, overrides, message):
    before = _apps(conn)
    result = _create(signed_in, **overrides)
    assert result.status_code == 422 and message in result.text
    assert _apps(conn) == before


def test_fingerprints_are_normalised():
    shas, problem = parse_fingerprints(f" {SHA.lower()} ,\n{SHA2}\n")
    assert problem is None and shas == [SHA, SHA2.upper()]
    ios = validate(AppForm(name="i", os="1", app_id="ABCD1234.com.my.app", sha=SHA))
    assert ios["sha"] == "" and ios["disable_redirect"] is False


def test_create_show_edit_and_audit(signed_in, conn, demo):
    result = _create(signed_in)
    assert result.status_code == 303
    page = signed_in.get(result.headers["Location"])
    assert 'Successfully created mobile app "Covid Alert"' in shown(page)
    assert "org.example.covid" in page.text and SHA2.upper() in page.text
    app_id = int(result.headers["Location"].rsplit("/", 1)[1])
    stored = conn.execute(
        "SELECT sha, disable_redirect FROM mobile_apps WHERE id = %s", (app_id,)
    ).fetchone()
    assert stored == (f"{SHA}\n{SHA2.upper()}", False)
    (entry,) = audit_rows(conn, "created mobile app")
    assert entry[1:3] == (f"mobile_apps:{app_id}", "Covid Alert (Android)")

    signed_in.get(f"/realm/mobile-apps/{app_id}/edit")
    edited = signed_in.form(
        f"/realm/mobile-apps/{app_id}",
        {**ANDROID, "_method": "PATCH", "app_id": "org.example.alert", "sha": SHA},
    )
    assert edited.status_code == 303
    assert audit_rows(conn, "updated mobile app appID")[0][3] == (
        "-org.example.covid\n+org.example.alert\n"
    )
    assert len(audit_rows(conn, "updated mobile app sha")) == 1
    # Unchecked box: the store redirect is off.
    signed_in.form(
        f"/realm/mobile-apps/{app_id}",
        {**ANDROID, "_method": "PATCH", "enable_redirect": ""},
    )
    assert conn.execute(
        "SELECT disable_redirect FROM mobile_apps WHERE id = %s", (app_id,)
    ).fetchone() == (True,)


def test_other_realms_apps_are_401(signed_in, conn):
    from db.queries.realms import mobile_apps as apps_q
    from tests.issuing import make_realm

    other = make_realm(conn, "Elsewhere")
    app_id = apps_q.upsert_mobile_app(
        conn, realm_id=other, name="x", os=1, app_id="A.b.c", url=""
    )
    assert signed_in.get(f"/realm/mobile-apps/{app_id}").status_code == 401
    signed_in.get("/realm/mobile-apps")
    result = signed_in.form(
        f"/realm/mobile-apps/{app_id}/disable", {"_method": "PATCH"}
    )
    assert result.status_code == 401


def test_assetlinks_follow_create_disable_enable(signed_in, conn, redirector):
    before = _assetlinks(redirector)  # now cached by the redirector
    assert "org.example.covid" not in before
    app_id = _create(signed_in).headers["Location"].rsplit("/", 1)[1]
    assert "org.example.covid" in _assetlinks(redirector)

    signed_in.get("/realm/mobile-apps")
    done = signed_in.form(f"/realm/mobile-apps/{app_id}/disable", {"_method": "PATCH"})
    assert done.status_code == 303
    listing = signed_in.get("/realm/mobile-apps")
    assert "Successfully disabled mobile app" in shown(listing)
    assert "org.example.covid" not in _assetlinks(redirector)
    (entry,) = audit_rows(conn, "updated mobile app enabled")
    assert entry[3] == "-true\n+false\n"

    signed_in.form(f"/realm/mobile-apps/{app_id}/enable", {"_method": "PATCH"})
    assert "org.example.covid" in _assetlinks(redirector)


def test_list_search_and_disabled_last(signed_in, conn, demo):
    app_id = _create(signed_in).headers["Location"].rsplit("/", 1)[1]
    signed_in.get("/realm/mobile-apps")
    signed_in.form(f"/realm/mobile-apps/{app_id}/disable", {"_method": "PATCH"})
    page = signed_in.get("/realm/mobile-apps").text
    page = page[page.index('id="mobile-apps-table"') :]  # past the flash
    assert page.index("Demo EN Android") < page.index("Covid Alert")
    found = signed_in.get("/realm/mobile-apps", params={"q": "covid"}).text
    assert "Covid Alert" in found and "Demo EN Android" not in found
