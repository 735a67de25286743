"""Fixtures of the issuing tests: a fake SMS provider, the service, a realm."""

import pytest

from db.queries.realms import core as realm_q
from models.codes import sms
from models.codes.issue import Issuer, IssueService
from tests.issuing import make_key, make_realm


@pytest.fixture
def issuer_svc(services, fake_sms):
    client = sms.SmsClient(fake_sms.url, timeout=0.5)
    yield IssueService(services, sms_client=client)
    client.close()


@pytest.fixture
def realm(conn):
    return realm_q.get_realm(conn, make_realm(conn, allow_generated_sms=True))


@pytest.fixture
def admin(conn, services, realm):
    _, app_id = make_key(conn, services, realm.id)
    return Issuer.for_api_key(app_id, "pha")
