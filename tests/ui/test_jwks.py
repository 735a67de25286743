import falcon.testing

from models.realms.bootstrap import bootstrap_demo
from ui.app import create_app


def test_realm_jwks_is_public_on_the_ui_server(conn, services):
    creds = bootstrap_demo(conn, services.secrets)
    version = services.keystore.create_key_version(conn, f"realm-{creds.realm_id}")
    row_id = conn.execute(
        "INSERT INTO signing_keys (realm_id, key_id, active) VALUES (%s, %s, true)"
        " RETURNING id",
        (creds.realm_id, version),
    ).fetchone()[0]
    client = falcon.testing.TestClient(create_app(services))
    headers = {"X-Forwarded-Proto": "https"}
    resp = client.simulate_get(f"/jwks/{creds.realm_id}", headers=headers)
    assert resp.status_code == 200
    assert resp.json == [
        {
            **resp.json[0],
            "kid": f"r{creds.realm_id}v{row_id}",
            "kty": "EC",
            "crv": "P-256",
        }
    ]
    missing = client.simulate_get("/jwks/999999", headers=headers)
    assert missing.status_code == 404
    assert missing.json == {"error": 'no realm exists for region "999999"'}
