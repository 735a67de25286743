"""/admin/realms: list, search, paging, create, edit, join/leave; system stats."""

from __future__ import annotations

import datetime as dt

from tests.ui.admin.conftest import audit_actions, audit_count


def _realm(conn, name):
    return conn.execute(
        "SELECT id, region_code, require_date, use_realm_certificate_key"
        " FROM realms WHERE name = %s",
        (name,),
    ).fetchone()


def test_list_search_and_paging(admin, conn):
    for i in range(30):
        conn.execute(
            "INSERT INTO realms (name, region_code) VALUES (%s, %s)",
            (f"Zeta {i:02d}", f"ZZ-{i:02d}"),
        )
    page = admin.get("/admin/realms?q=zeta")
    assert page.status_code == 200
    assert "Zeta 00" in page.text and "Zeta 24" in page.text
    assert "Zeta 25" not in page.text and "Demo Health Authority" not in page.text
    second = admin.get("/admin/realms?q=zeta&page=2")
    assert "Zeta 25" in second.text and "Zeta 24" not in second.text
    assert "Demo Health Authority" in admin.get("/admin/realms").text


def test_create_realm_with_its_signing_key(admin, conn, demo):
    result = admin.form(
        "/admin/realms",
        {
            "name": "  Utopia Health ",
            "regionCode": "ut-n",
            "useRealmCertificateKey": "true",
            "certificateIssuer": "utopia.example",
            "certificateAudience": "keys.example",
        },
    )
    assert result.status_code == 303, result.text
    realm_id, region, require_date, realm_keys = _realm(conn, "Utopia Health")
    assert result.headers["Location"].endswith(f"/admin/realms/{realm_id}/edit")
    assert (region, require_date, realm_keys) == ("UT-N", True, True)
    keys = conn.execute(
        "SELECT active FROM signing_keys WHERE realm_id = %s", (realm_id,)
    ).fetchall()
    assert keys == [(True,)]
    assert audit_actions(conn, realm_id) == [
        "created realm",
        "created signing key",
        "added user to realm",
    ]
    page = admin.get(result.headers["Location"])
    assert "Created realm Utopia Health" in page.text
    assert "Created initial signing key" in page.text
    assert 'id="leave-realm"' in page.text  # the creator is now a member


def test_bad_realm_input_is_answered_and_nothing_written(admin, conn):
    before = (audit_count(conn), conn.execute("SELECT count(*) FROM realms").fetchone())
    cases = [
        ({"name": "Demo Health Authority", "regionCode": "QQ"}, "already exists"),
        ({"name": "New One", "regionCode": "US-DEMO"}, "already exists"),
        ({"name": "New One", "regionCode": ""}, "region code cannot be blank"),
        ({"name": "New One", "regionCode": "not valid"}, "is invalid"),
        ({"name": "", "regionCode": "QQ"}, "cannot be blank"),
        (
            {"name": "New One", "regionCode": "QQ", "useRealmCertificateKey": "true"},
            "issuer and audience are required",
        ),
    ]
    for values, message in cases:
        result = admin.form("/admin/realms", values)
        assert result.status_code == 422, values
        assert message in result.text, values
    after = (audit_count(conn), conn.execute("SELECT count(*) FROM realms").fetchone())
    assert after == before


def test_edit_system_fields_audits_each_change(admin, conn, demo):
    rid = demo.realm_id
    conn.execute(
        "UPDATE realms SET can_use_system_sms_config = true,"
        " use_system_sms_config = true WHERE id = %s",
        (rid,),
    )
    assert "Demo Health Authority" in admin.get(f"/admin/realms/{rid}/edit").text
    result = admin.form(
        f"/admin/realms/{rid}",
        {
            "_method": "PATCH",
            "maintenance_mode": "true",
            "short_code_max_minutes": "90",
            "allow_generated_sms": "true",
        },
    )
    assert result.status_code == 303
    row = conn.execute(
        "SELECT maintenance_mode, short_code_max_minutes, allow_generated_sms,"
        " can_use_system_sms_config, use_system_sms_config FROM realms WHERE id = %s",
        (rid,),
    ).fetchone()
    assert row == (True, 90, True, False, False)
    diffs = dict(
        conn.execute(
            "SELECT action, diff FROM audit_entries WHERE realm_id = %s"
            " AND actor_id LIKE 'users:%%'",
            (rid,),
        ).fetchall()
    )
    assert diffs == {
        "updated maintenance mode": "-false\n+true",
        "updated short code max minutes": "-60\n+90",
        "updated can use system SMS config": "-true\n+false",
    }


def test_bad_edit_is_refused_and_nothing_written(admin, conn, demo):
    before = audit_count(conn)
    for minutes in ("59", "121", "soon"):
        result = admin.form(
            f"/admin/realms/{demo.realm_id}",
            {
                "_method": "PATCH",
                "maintenance_mode": "true",
                "short_code_max_minutes": minutes,
            },
        )
        assert result.status_code == 422
        assert "short code max minutes must" in result.text
    assert audit_count(conn) == before
    assert conn.execute(
        "SELECT maintenance_mode FROM realms WHERE id = %s", (demo.realm_id,)
    ).fetchone() == (False,)
    assert admin.get("/admin/realms/99999/edit").status_code == 404


def test_join_and_leave_a_realm(admin, conn, demo):
    sa_id = conn.execute(
        "SELECT id FROM users WHERE email = %s", (demo.system_admin["email"],)
    ).fetchone()[0]
    rid = demo.realm_id
    result = admin.form(f"/admin/realms/{rid}/add/{sa_id}", {"_method": "PATCH"})
    assert result.status_code == 303
    perms = conn.execute(
        "SELECT permissions FROM memberships WHERE realm_id = %s AND user_id = %s",
        (rid, sa_id),
    ).fetchone()
    assert perms == (32766,)
    admin.get(f"/admin/realms/{rid}/edit")
    result = admin.form(f"/admin/realms/{rid}/remove/{sa_id}", {"_method": "PATCH"})
    assert result.status_code == 303
    assert (
        conn.execute(
            "SELECT 1 FROM memberships WHERE realm_id = %s AND user_id = %s",
            (rid, sa_id),
        ).fetchone()
        is None
    )
    assert audit_actions(conn, rid) == [
        "added user to realm",
        "removed user from realm",
    ]


def test_system_stats_sum_and_hide_thin_days(admin, conn, demo, clock):
    today = clock.now().astimezone(dt.UTC).date()
    other = conn.execute(
        "INSERT INTO realms (name, region_code) VALUES ('Other', 'OT') RETURNING id"
    ).fetchone()[0]
    rows = [
        (today, demo.realm_id, 5, 3),
        (today, other, 7, 2),
        (today - dt.timedelta(days=1), demo.realm_id, 9, 9),  # one realm only
    ]
    for day, rid, issued, claimed in rows:
        conn.execute(
            "INSERT INTO realm_stats (date, realm_id, codes_issued, codes_claimed)"
            " VALUES (%s, %s, %s, %s)",
            (day, rid, issued, claimed),
        )
    body = admin.get(
        "/admin/stats/system.json", headers={"Accept": "application/json"}
    ).json
    assert body["realm_id"] == 2 and len(body["statistics"]) == 91
    first, second = body["statistics"][0], body["statistics"][1]
    assert first["date"].startswith(today.isoformat())
    assert (first["data"]["codes_issued"], first["data"]["codes_claimed"]) == (12, 5)
    assert (second["data"]["codes_issued"], second["data"]["codes_claimed"]) == (0, 0)
    assert first["data"]["tokens_claimed"] == 0


def test_invite_a_realm_admin(admin, conn, demo):
    rid = demo.realm_id
    admin.get(f"/admin/realms/{rid}/edit")
    result = admin.form(
        f"/admin/realms/{rid}/invite", {"email": "lead@example.org", "name": "Lead"}
    )
    assert result.status_code == 303
    page = admin.get(result.headers["Location"]).text
    assert "oobCode=" in page  # no SMTP configured: the link is shown
    perms = conn.execute(
        "SELECT m.permissions FROM memberships m JOIN users u ON u.id = m.user_id"
        " WHERE u.email = 'lead@example.org' AND m.realm_id = %s",
        (rid,),
    ).fetchone()
    assert perms == (32766,)
    before = audit_count(conn)
    result = admin.form(f"/admin/realms/{rid}/invite", {"email": "nope"})
    assert "email must contain @" in admin.get(result.headers["Location"]).text
    assert audit_count(conn) == before
