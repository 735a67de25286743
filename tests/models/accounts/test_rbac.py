import pytest

from models.accounts.rbac import (
    LEGACY_REALM_ADMIN,
    LEGACY_REALM_USER,
    GrantError,
    Permission,
    add_implied,
    compile_and_authorize,
    names,
)


def test_presets_have_the_original_values():
    assert int(LEGACY_REALM_USER) == 240
    assert int(LEGACY_REALM_ADMIN) == 32766


def test_implied_permissions_are_added():
    assert (
        add_implied(Permission.USER_WRITE)
        == Permission.USER_WRITE | Permission.USER_READ
    )
    assert add_implied(Permission.CODE_BULK_ISSUE) & Permission.CODE_ISSUE


def test_actor_cannot_grant_what_it_lacks():
    with pytest.raises(GrantError, match="actor does not have"):
        compile_and_authorize(int(Permission.CODE_ISSUE), [int(Permission.USER_WRITE)])
    # Holding one bit of a preset is not enough (the original allowed it).
    with pytest.raises(GrantError):
        compile_and_authorize(int(Permission.CODE_ISSUE), [int(LEGACY_REALM_USER)])
    with pytest.raises(GrantError, match="unknown"):
        compile_and_authorize(int(LEGACY_REALM_ADMIN), [3])
    granted = compile_and_authorize(
        int(LEGACY_REALM_ADMIN), [int(Permission.API_KEY_WRITE)]
    )
    assert names(granted) == ["APIKeyRead", "APIKeyWrite"]
