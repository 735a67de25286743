"""``/realm/apikeys``: shown once, rename, disable refused by the adminapi at once."""

from __future__ import annotations

import re

import falcon.testing
import pytest

from api.admin.app import create_app as admin_app
from db.pool import SingleConnectionSource
from models.accounts.rbac import Permission
from models.services import build_services
from models.settings import Settings
from tests.support import make_env
from tests.ui.people import (
    add_member,
    assert_refused,
    audit_rows,
    count,
    member_client,
    shown,
)

P = Permission
KEY = re.compile(r'<textarea[^>]*id="api-key"[^>]*>([^<]+)</textarea>')


def _create(client, name="PHA system", key_type="1"):
    client.get("/realm/apikeys/new")
    return client.form("/realm/apikeys", {"name": name, "type": key_type})


def _keys(conn) -> int:
    return count(conn, "SELECT count(*) FROM authorized_apps")


@pytest.fixture
def adminapi(conn, clock):
    """The adminapi over the same database with its own in-process cache."""
    services = build_services(
        Settings.from_env(make_env()), db=SingleConnectionSource(conn), clock=clock
    )
    yield services, falcon.testing.TestClient(admin_app(services))
    services.close()


def _issue(client, key):
    return client.simulate_post(
        "/api/issue",
        json={"testType": "confirmed"},
        headers={"X-API-Key": key, "Content-Type": "application/json"},
    )


@pytest.mark.parametrize(
    ("method", "path", "bits"),
    [
        ("GET", "/realm/apikeys", 0),
        ("GET", "/realm/apikeys/{id}", 0),
        ("GET", "/realm/apikeys/new", int(P.API_KEY_READ)),
        ("GET", "/realm/apikeys/{id}/edit", int(P.API_KEY_READ)),
        ("POST", "/realm/apikeys", int(P.API_KEY_READ)),
        ("PATCH", "/realm/apikeys/{id}", int(P.API_KEY_READ)),
        ("PATCH", "/realm/apikeys/{id}/disable", int(P.API_KEY_READ)),
        ("PATCH", "/realm/apikeys/{id}/enable", int(P.API_KEY_READ)),
    ],
)
def test_every_route_needs_its_bit(app, conn, demo, method, path, bits):
    key_id = conn.execute(
        "SELECT id FROM authorized_apps WHERE realm_id = %s ORDER BY id LIMIT 1",
        (demo.realm_id,),
    ).fetchone()[0]
    assert_refused(
        app, conn, demo, "authorized_apps", method, path.format(id=key_id), bits
    )


def test_csrf_is_required(signed_in, conn):
    before = _keys(conn)
    signed_in.get("/realm/apikeys/new")
    result = signed_in.form("/realm/apikeys", {"name": "k", "type": "1"}, csrf=False)
    assert result.status_code == 401 and _keys(conn) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "", "type": "1"}, "name cannot be blank"),
        ({"name": "k", "type": "-1"}, "type is invalid"),
        ({"name": "k", "type": "7"}, "type is invalid"),
        ({"name": "demo ADMIN key", "type": "1"}, "name must be unique"),
    ],
)
def test_bad_input_is_answered_on_the_form(signed_in, conn, fields, message):
    before = _keys(conn)
    signed_in.get("/realm/apikeys/new")
    result = signed_in.form("/realm/apikeys", fields)
    assert result.status_code == 422 and message in result.text
    assert _keys(conn) == before


def test_key_is_shown_exactly_once_and_audited(signed_in, conn, demo):
    result = _create(signed_in)
    assert result.status_code == 303
    location = result.headers["Location"]
    page = signed_in.get(location)
    assert 'Successfully created API Key for "PHA system"' in shown(page)
    plaintext = KEY.search(page.text).group(1)
    assert plaintext.split(".")[1] == str(demo.realm_id)
    again = signed_in.get(location)
    assert again.status_code == 200 and plaintext not in again.text
    assert 'id="api-key"' not in again.text
    (entry,) = audit_rows(conn, "created API key")
    assert entry[1] == f"authorized_apps:{location.rsplit('/', 1)[1]}"
    assert entry[2] == "PHA system" and entry[0].startswith("users:")


def test_rename(signed_in, conn):
    key_id = _create(signed_in).headers["Location"].rsplit("/", 1)[1]
    signed_in.get(f"/realm/apikeys/{key_id}/edit")
    clash = signed_in.form(
        f"/realm/apikeys/{key_id}", {"_method": "PATCH", "name": "Demo admin key"}
    )
    assert clash.status_code == 422 and "must be unique" in clash.text
    done = signed_in.form(
        f"/realm/apikeys/{key_id}", {"_method": "PATCH", "name": "Renamed"}
    )
    assert done.status_code == 303
    assert (
        "Successfully updated API key!" in signed_in.get(done.headers["Location"]).text
    )
    (entry,) = audit_rows(conn, "updated API key name")
    assert entry[3] == "-PHA system\n+Renamed\n"


def test_other_realms_keys_are_401(signed_in, conn, ui_services):
    from models.realms.apikeys import KeyType, create_api_key
    from tests.issuing import make_realm

    other = make_realm(conn, "Elsewhere")
    _, key_id = create_api_key(
        conn, ui_services.secrets, realm_id=other, name="x", key_type=KeyType.ADMIN
    )
    assert signed_in.get(f"/realm/apikeys/{key_id}").status_code == 401
    signed_in.get("/realm/apikeys")
    result = signed_in.form(f"/realm/apikeys/{key_id}/disable", {"_method": "PATCH"})
    assert result.status_code == 401
    assert (
        count(conn, "SELECT count(*) FROM audit_entries WHERE action LIKE %s", "%API%")
        == 0
    )


def test_disabled_key_is_refused_on_its_next_request(signed_in, conn, adminapi):
    services, api = adminapi
    location = _create(signed_in).headers["Location"]
    plaintext = KEY.search(signed_in.get(location).text).group(1)
    key_id = location.rsplit("/", 1)[1]
    assert _issue(api, plaintext).status_code == 200
    assert _issue(api, plaintext).status_code == 200
    # The positive lookup now sits in the adminapi's own (in-process) cache,
    # which the UI cannot reach.
    assert services.cache.keys()

    signed_in.get("/realm/apikeys")
    disabled = signed_in.form(f"/realm/apikeys/{key_id}/disable", {"_method": "PATCH"})
    assert disabled.status_code == 303
    assert "Successfully disabled API key" in shown(signed_in.get("/realm/apikeys"))
    assert _issue(api, plaintext).status_code == 401
    (entry,) = audit_rows(conn, "updated API key enabled")
    assert entry[3] == "-true\n+false\n"

    signed_in.form(f"/realm/apikeys/{key_id}/enable", {"_method": "PATCH"})
    assert _issue(api, plaintext).status_code == 200


def test_list_search_and_pages(signed_in, conn, demo, ui_services):
    from models.realms.apikeys import KeyType, create_api_key

    for n in range(30):
        create_api_key(
            conn,
            ui_services.secrets,
            realm_id=demo.realm_id,
            name=f"bulk {n:02d}",
            key_type=KeyType.DEVICE,
        )
    first = signed_in.get("/realm/apikeys", params={"q": "bulk"})
    assert "bulk 00" in first.text and "Demo admin key" not in first.text
    second = signed_in.get("/realm/apikeys", params={"q": "bulk", "page": "2"})
    assert "bulk 29" in second.text and "bulk 00" not in second.text


def test_reader_sees_no_write_controls(app, conn, demo):
    add_member(conn, demo.realm_id, "x@example.com", 16)
    reader = member_client(
        app, conn, demo.realm_id, "reader@example.com", int(P.API_KEY_READ)
    )
    page = reader.get("/realm/apikeys")
    assert page.status_code == 200 and "Demo admin key" in page.text
    assert 'id="new-apikey"' not in page.text and "/disable" not in page.text
