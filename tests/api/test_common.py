import dataclasses

import falcon
import falcon.testing
import pytest

from api.common.binding import ANY, STRING, STRING_LIST, BindError, parse_object
from api.device.app import create_app as device_app
from db.ratelimit import MemoryRateLimiter
from models.network import TrustedProxies, client_ip, ip_allowed
from models.realms.apikeys import KeyType, create_api_key

FIELDS = {"code": STRING, "accept": STRING_LIST, "padding": ANY}


@pytest.mark.parametrize(
    "body,message",
    [
        (b"", "body must not be empty"),
        (b'{"code":"1","x":1}', 'json: unknown field "x"'),
        (b'{"code":"1"}{"code":"2"}', "body must contain only one JSON object"),
        (b'{"code":', "malformed json"),
        (b'{"code" "1"}', "malformed json at position 9"),
        (b'{"code":5}', 'invalid value "code"'),
    ],
)
def test_binding_errors_carry_the_original_messages(body, message):
    with pytest.raises(BindError) as info:
        parse_object(body, FIELDS)
    assert str(info.value) == message


def test_binding_is_case_insensitive_last_duplicate_wins_and_padding_is_any():
    got = parse_object(b'{"CODE":"1","Code":"2","padding":[1,{"a":2}]}', FIELDS)
    assert got == {"code": "2", "padding": [1, {"a": 2}]}


class Protected:
    api_key_types = frozenset({KeyType.DEVICE})

    def on_post(self, req, resp):
        resp.media = {"realm": req.context.realm.id, "app": req.context.app.name}


def one_hop(services):
    """The services behind one trusted load balancer (protocol §10.2)."""
    settings = services.settings.replace(trusted_proxies=TrustedProxies(hops=1))
    return dataclasses.replace(services, settings=settings)


@pytest.fixture
def device_client(services):
    app = device_app(one_hop(services))
    app.add_route("/api/probe", Protected())
    return falcon.testing.TestClient(app)


@pytest.fixture
def keys(conn, services):
    out = {}
    for kind in KeyType:
        out[kind], _ = create_api_key(
            conn, services.secrets, realm_id=1, name=f"k-{kind.name}", key_type=kind
        )
    return out


def test_valid_device_key_reaches_the_handler(device_client, keys):
    resp = device_client.simulate_post(
        "/api/probe", headers={"X-API-Key": keys[KeyType.DEVICE]}
    )
    assert resp.status_code == 200 and resp.json == {"realm": 1, "app": "k-DEVICE"}


@pytest.mark.parametrize("key", ["", "garbage", "a.1.b"])
def test_bad_keys_get_a_bare_401(device_client, key):
    resp = device_client.simulate_post(
        "/api/probe", headers={"X-API-Key": key, "Accept": "application/json"}
    )
    assert resp.status_code == 401
    assert resp.json == {"error": "unauthorized", "errorCode": "", "error_code": ""}


def test_wrong_key_type_is_401(device_client, keys):
    for kind in (KeyType.ADMIN, KeyType.STATS):
        resp = device_client.simulate_post(
            "/api/probe", headers={"X-API-Key": keys[kind]}
        )
        assert resp.status_code == 401


def test_wrong_method_is_405_before_auth(device_client):
    assert device_client.simulate_get("/api/probe").status_code == 405


def test_firewall_rejects_ips_outside_the_realm_list(conn, device_client, keys):
    conn.execute(
        "UPDATE realms SET allowed_cidrs_apiserver = '{10.0.0.0/8}' WHERE id = 1"
    )
    headers = {"X-API-Key": keys[KeyType.DEVICE]}
    ok = device_client.simulate_post(
        "/api/probe", headers={**headers, "X-Forwarded-For": "10.1.2.3, 35.1.1.1"}
    )
    assert ok.status_code == 200
    denied = device_client.simulate_post(
        "/api/probe", headers={**headers, "X-Forwarded-For": "11.1.2.3, 35.1.1.1"}
    )
    assert denied.status_code == 401


def test_rate_limit_headers_and_429(services, keys):
    services.limiter = MemoryRateLimiter(b"r" * 32, 2, 60)
    app = device_app(services)
    app.add_route("/api/probe", Protected())
    client = falcon.testing.TestClient(app)
    headers = {"X-API-Key": keys[KeyType.DEVICE]}
    first = client.simulate_post("/api/probe", headers=headers)
    assert first.headers["X-RateLimit-Limit"] == "2"
    assert first.headers["X-RateLimit-Remaining"] == "1"
    assert first.headers["X-RateLimit-Reset"].endswith(" UTC")
    client.simulate_post("/api/probe", headers=headers)
    third = client.simulate_post("/api/probe", headers=headers)
    assert third.status_code == 429
    assert third.text == "Too Many Requests\n"
    assert third.headers["Retry-After"] == third.headers["X-RateLimit-Reset"]


@pytest.mark.parametrize(
    "remote,xff,expected",
    [
        (None, None, ""),
        ("1.1.1.1", None, "1.1.1.1"),
        ("  1.1.1.1  ", None, "1.1.1.1"),
        (None, "2.2.2.2", ""),
        (None, "34.1.2.3,231.5.4.3,2.2.2.2", "231.5.4.3"),
        ("1.1.1.1", "     34.1.2.3,  231.5.4.3,2.2.2.2", "231.5.4.3"),
    ],
)
def test_client_ip_vectors(remote, xff, expected):
    # Protocol §12.11 describes the behaviour behind one trusted hop.
    assert client_ip(remote, xff, TrustedProxies(hops=1)) == expected


@pytest.mark.parametrize(
    "remote,xff,expected",
    [
        ("1.1.1.1", "34.1.2.3, 231.5.4.3, 2.2.2.2", "1.1.1.1"),  # nobody trusted
        ("1.1.1.1", "9.9.9.9", "1.1.1.1"),
    ],
)
def test_forwarded_for_is_ignored_without_a_trusted_proxy(remote, xff, expected):
    assert client_ip(remote, xff) == expected


@pytest.mark.parametrize(
    "remote,xff,expected",
    [
        ("10.0.0.5:41000", "6.6.6.6, 7.7.7.7", "7.7.7.7"),  # proxy appended 7.7.7.7
        ("10.0.0.5", "6.6.6.6, 7.7.7.7, 10.0.0.9", "7.7.7.7"),  # two trusted hops
        ("10.0.0.5", "10.0.0.7, 10.0.0.9", "10.0.0.7"),  # all trusted: leftmost
        ("8.8.8.8", "7.7.7.7", "8.8.8.8"),  # the peer is not our proxy
    ],
)
def test_forwarded_for_behind_trusted_proxy_networks(remote, xff, expected):
    trusted = TrustedProxies.parse("10.0.0.0/24, 192.0.2.1")
    assert client_ip(remote, xff, trusted) == expected


def test_trusted_proxy_settings_are_validated():
    from models.settings import Settings, SettingsError
    from tests.support import make_env

    ok = Settings.from_env(make_env(ENCV_TRUSTED_PROXY_HOPS="1"))
    assert ok.trusted_proxies == TrustedProxies(hops=1)
    assert not Settings.from_env(make_env()).trusted_proxies
    for bad in (
        {"ENCV_TRUSTED_PROXIES": "proxy.example"},
        {"ENCV_TRUSTED_PROXIES": "10.0.0.1", "ENCV_TRUSTED_PROXY_HOPS": "1"},
    ):
        with pytest.raises(SettingsError, match="ENCV_TRUSTED_PROXIES"):
            Settings.from_env(make_env(**bad))


@pytest.mark.parametrize(
    "cidrs,ip,allowed",
    [
        (["0.0.0.0/0"], "1.2.3.4", True),
        (["::/0"], "2001:db8::8a2e:370:7334", True),
        (["1.2.3.4/32"], "1.2.3.4", True),
        (["1.2.3.4/32"], "9.8.7.6", False),
        (["2001::/0"], "2001:db8::8a2e:370:7334", True),
        (["2000::/64"], "2001:db8::8a2e:370:7334", False),
        ([], "9.9.9.9", True),
        (["not-a-cidr", "9.9.9.0/24"], "9.9.9.9:443", True),
    ],
)
def test_firewall_vectors(cidrs, ip, allowed):
    assert ip_allowed(cidrs, ip) is allowed


def test_a_limiter_without_fallback_answers_503(services, keys):
    import redis as redislib

    from db.ratelimit import RedisRateLimiter

    broken = redislib.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    services.limiter = RedisRateLimiter(broken, b"r" * 32, 5, 60)
    app = device_app(services)
    app.add_route("/api/probe", Protected())
    resp = falcon.testing.TestClient(app).simulate_post(
        "/api/probe", headers={"X-API-Key": keys[KeyType.DEVICE]}
    )
    assert resp.status_code == 503
    assert resp.headers["Retry-After"] == "2"
    assert "127.0.0.1" not in resp.text


@pytest.mark.parametrize("intruder", ["\x01", "\x7f", "\u00e9", " "])
def test_keys_with_foreign_characters_get_a_401(device_client, keys, intruder):
    key = keys[KeyType.DEVICE]
    spoiled = key[:10] + intruder + key[10:]
    resp = device_client.simulate_post("/api/probe", headers={"X-API-Key": spoiled})
    assert resp.status_code == 401


class Exploding:
    def on_get(self, req, resp):
        raise RuntimeError("password=hunter2 at db.internal:5432")


@pytest.mark.parametrize("accept", ["application/json", "text/html", "*/*"])
def test_500_bodies_never_carry_exception_text_even_in_dev_mode(
    services, accept, caplog
):
    settings = services.settings.replace(dev_mode=True)
    app = device_app(dataclasses.replace(services, settings=settings))
    app.add_route("/boom", Exploding())
    resp = falcon.testing.TestClient(app).simulate_get(
        "/boom", headers={"Accept": accept, "X-Request-Id": "rid-boom"}
    )
    assert resp.status_code == 500
    assert "hunter2" not in resp.text and "RuntimeError" not in resp.text
    logged = [r for r in caplog.records if "rid=rid-boom" in r.getMessage()]
    assert logged and "hunter2" in logged[0].exc_text


def test_without_a_trusted_proxy_the_header_cannot_open_the_firewall(
    conn, services, keys
):
    conn.execute(
        "UPDATE realms SET allowed_cidrs_apiserver = '{10.0.0.0/8}' WHERE id = 1"
    )
    app = device_app(services)  # default settings: no trusted proxy
    app.add_route("/api/probe", Protected())
    resp = falcon.testing.TestClient(app).simulate_post(
        "/api/probe",
        headers={
            "X-API-Key": keys[KeyType.DEVICE],
            "X-Forwarded-For": "10.1.2.3, 10.1.2.4",
        },
    )
    assert resp.status_code == 401


@pytest.mark.parametrize("given", ["a b", "x" * 65, "id\u00e9", "rid;drop"])
def test_a_request_id_that_is_not_a_plain_token_is_replaced(device_client, given):
    resp = device_client.simulate_get("/health", headers={"X-Request-Id": given})
    assert resp.headers["X-Request-Id"] != given
    assert len(resp.headers["X-Request-Id"]) == 32


def test_a_plain_request_id_is_kept(device_client):
    resp = device_client.simulate_get("/health", headers={"X-Request-Id": "abc-123"})
    assert resp.headers["X-Request-Id"] == "abc-123"


def nested(levels: int) -> bytes:
    return b'{"padding":' + b"[" * (levels - 1) + b"1" + b"]" * (levels - 1) + b"}"


def test_nesting_is_allowed_up_to_the_limit_and_refused_past_it():
    from api.common.binding import MAX_DEPTH

    assert parse_object(nested(MAX_DEPTH), FIELDS)["padding"]
    with pytest.raises(BindError, match="nested deeper"):
        parse_object(nested(MAX_DEPTH + 1), FIELDS)


def test_brackets_inside_strings_do_not_count_as_nesting():
    body = b'{"code":"' + b"[{" * 40 + b'","padding":[[1]]}'
    assert parse_object(body, FIELDS)["code"] == "[{" * 40
