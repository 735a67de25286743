"""models.accounts.members: the use cases the UI and ``encv user add`` share."""

from __future__ import annotations

import datetime as dt

import pytest

from models import audit
from models.accounts import members
from models.accounts.rbac import LEGACY_REALM_USER, Permission
from models.settings import Settings
from tests.issuing import make_realm
from tests.support import make_env

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
UI = Settings.from_env(make_env()).ui
P = Permission


def _invite(conn, realm_id, email, permissions, **kwargs):
    return members.invite_member(
        conn,
        UI,
        realm_id=realm_id,
        email=email,
        name=kwargs.pop("name", "Someone"),
        permissions=permissions,
        actor=kwargs.pop("actor", audit.SYSTEM),
        now=NOW,
        send_email=False,
        **kwargs,
    )


def test_command_line_invite_returns_a_link_and_reuses_users(conn):
    realm = make_realm(conn, "Members")
    first = _invite(conn, realm, " ann@example.com ", [int(LEGACY_REALM_USER)])
    assert first.created
    assert first.link.startswith(
        f"{UI.server_endpoint}/login/manage-account?mode=resetPassword&oobCode="
    )
    member = members.get_member(conn, realm, first.user_id)
    assert member.email == "ann@example.com" and member.permissions == 240
    other = make_realm(conn, "Other")
    again = _invite(conn, other, "ANN@example.com", [int(P.STATS_READ)], name="X")
    assert again.user_id == first.user_id and not again.created
    assert members.get_member(conn, other, first.user_id).name == "Someone"


def test_granting_rule_and_self_protection(conn):
    realm = make_realm(conn, "Members")
    lead = _invite(conn, realm, "lead@example.com", [int(P.USER_WRITE)])
    actor = audit.user_actor(lead.user_id, "Lead", "lead@example.com")
    with pytest.raises(members.MemberError, match="actor does not have all scopes"):
        _invite(
            conn,
            realm,
            "x@example.com",
            [int(P.CODE_ISSUE)],
            actor=actor,
            actor_permissions=int(P.USER_WRITE | P.USER_READ),
        )
    assert conn.execute(
        "SELECT count(*) FROM users WHERE email = 'x@example.com'"
    ).fetchone() == (0,)
    # Re-inviting oneself never changes one's own permissions.
    _invite(
        conn,
        realm,
        "lead@example.com",
        [int(P.USER_READ)],
        actor=actor,
        actor_permissions=int(P.USER_WRITE | P.USER_READ),
    )
    assert members.get_member(conn, realm, lead.user_id).permissions == (
        P.USER_WRITE | P.USER_READ
    )
    with pytest.raises(members.MemberError, match="cannot remove self"):
        members.remove_member(conn, realm_id=realm, user_id=lead.user_id, actor=actor)


def test_parse_search():
    found = members.parse_search("name:fred|jones can:UserRead can:CodeIssue bob al")
    assert found.name == "fred|jones" and found.words == "bob|al"
    assert found.can == P.USER_READ | P.CODE_ISSUE and found.cannot == 0
    assert members.parse_search("cannot:userwrite").cannot == P.USER_WRITE
    with pytest.raises(members.MemberError):
        members.parse_search("email:a email:b")
