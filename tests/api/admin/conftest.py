import datetime as dt

import falcon.testing
import pytest

from api.admin.app import create_app
from models.codes import sms
from models.codes.issue import IssueService
from models.realms.apikeys import KeyType
from tests.issuing import make_key, make_realm


def days_ago(n: int) -> str:
    return (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=n)).isoformat()


class AdminApi:
    """A test client bound to one realm and its ADMIN and STATS keys."""

    def __init__(self, client, conn, services, realm_id, admin_key, stats_key, app_id):
        self.client = client
        self.conn = conn
        self.services = services
        self.realm_id = realm_id
        self.admin_key = admin_key
        self.stats_key = stats_key
        self.app_id = app_id

    def post(self, path, body=None, *, key=None, raw=None, headers=None):
        return self.client.simulate_post(
            path,
            json=body if raw is None else None,
            body=raw,
            headers={
                "X-API-Key": key or self.admin_key,
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )

    def get(self, path, *, key=None):
        return self.client.simulate_get(
            path, headers={"X-API-Key": key or self.stats_key}
        )


@pytest.fixture
def make_api(conn, services, fake_sms):
    """Return a factory: realm settings -> AdminApi."""
    clients = []

    def build(name="AdminRealm", **realm_settings):
        realm_id = make_realm(conn, name, **realm_settings)
        admin_key, app_id = make_key(conn, services, realm_id, name="pha")
        stats_key, _ = make_key(conn, services, realm_id, KeyType.STATS, name="st")
        client = sms.SmsClient(fake_sms.url, timeout=0.5)
        clients.append(client)
        issuer = IssueService(services, sms_client=client)
        test_client = falcon.testing.TestClient(create_app(services, issuer=issuer))
        return AdminApi(
            test_client, conn, services, realm_id, admin_key, stats_key, app_id
        )

    yield build
    for client in clients:
        client.close()
