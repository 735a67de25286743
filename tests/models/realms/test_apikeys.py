from models.realms.apikeys import KeyType, authenticate, create_api_key, realm_hint
from models.secrets import Secrets


def test_created_key_authenticates_and_only_its_hmac_is_stored(conn, services):
    secrets: Secrets = services.secrets
    plaintext, app_id = create_api_key(
        conn, secrets, realm_id=1, name="k1", key_type=KeyType.DEVICE
    )
    random_part, realm, signature = plaintext.split(".")
    assert realm == "1" and len(random_part) == 86
    app = authenticate(conn, secrets, f"  {plaintext}\n")
    assert app is not None and app.id == app_id and app.api_key_type == 0
    stored = conn.execute(
        "SELECT api_key, api_key_preview FROM authorized_apps WHERE id = %s", (app_id,)
    ).fetchone()
    assert random_part not in stored[0] and stored[1] == random_part[:6]
    assert realm_hint(plaintext) == 1


def test_tampered_keys_are_rejected(conn, services):
    secrets = services.secrets
    plaintext, _ = create_api_key(
        conn, secrets, realm_id=1, name="k2", key_type=KeyType.ADMIN
    )
    random_part, realm, signature = plaintext.split(".")
    assert authenticate(conn, secrets, f"{random_part}.2.{signature}") is None
    assert authenticate(conn, secrets, f"{random_part}.1.{signature[:-2]}AA") is None
    assert authenticate(conn, secrets, f"{random_part}.1") is None
    assert authenticate(conn, secrets, "") is None
    # [PARITY] A bare secret part is looked up as a legacy v1 key, as the
    # original does; it still needs the 64 random bytes, so nothing is weaker.
    assert authenticate(conn, secrets, random_part) is not None
    assert authenticate(conn, secrets, random_part[:-1] + "x") is None


def test_disabled_key_is_rejected(conn, services):
    plaintext, app_id = create_api_key(
        conn, services.secrets, realm_id=1, name="k3", key_type=KeyType.STATS
    )
    conn.execute(
        "UPDATE authorized_apps SET deleted_at = now() WHERE id = %s", (app_id,)
    )
    assert authenticate(conn, services.secrets, plaintext) is None


def test_keys_with_characters_outside_the_alphabet_are_refused_not_cleaned(
    conn, services
):
    secrets = services.secrets
    plaintext, _ = create_api_key(
        conn, secrets, realm_id=1, name="k4", key_type=KeyType.DEVICE
    )
    assert authenticate(conn, secrets, plaintext) is not None
    middle = len(plaintext) // 2
    for intruder in ("\x00", "\x01", "\x7f", " ", "\u00e9", "\u200b", "\ufeff"):
        spoiled = plaintext[:middle] + intruder + plaintext[middle:]
        assert authenticate(conn, secrets, spoiled) is None, repr(intruder)
        assert authenticate(conn, secrets, plaintext + intruder + "x") is None
    # A realm id in non-ASCII digits is not a realm id.
    random_part, _, signature = plaintext.split(".")
    assert realm_hint(f"{random_part}.\u0661.{signature}") is None
    assert authenticate(conn, secrets, f"{random_part}.{'1' * 5000}.x") is None
