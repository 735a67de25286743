"""Realm permissions: bits, implied bits, presets, and the granting guard."""

from __future__ import annotations

from enum import IntFlag


class Permission(IntFlag):
    """Membership permission bits (ui-and-data §4.1); bit 0 is unused."""

    AUDIT_READ = 2
    API_KEY_READ = 4
    API_KEY_WRITE = 8
    CODE_ISSUE = 16
    CODE_BULK_ISSUE = 32
    CODE_READ = 64
    CODE_EXPIRE = 128
    SETTINGS_READ = 256
    SETTINGS_WRITE = 512
    STATS_READ = 1024
    MOBILE_APP_READ = 2048
    MOBILE_APP_WRITE = 4096
    USER_READ = 8192
    USER_WRITE = 16384


# Original names, used in audit diffs and the UI.
PERMISSION_NAMES: dict[Permission, str] = {
    Permission.AUDIT_READ: "AuditRead",
    Permission.API_KEY_READ: "APIKeyRead",
    Permission.API_KEY_WRITE: "APIKeyWrite",
    Permission.CODE_ISSUE: "CodeIssue",
    Permission.CODE_BULK_ISSUE: "CodeBulkIssue",
    Permission.CODE_READ: "CodeRead",
    Permission.CODE_EXPIRE: "CodeExpire",
    Permission.SETTINGS_READ: "SettingsRead",
    Permission.SETTINGS_WRITE: "SettingsWrite",
    Permission.STATS_READ: "StatsRead",
    Permission.MOBILE_APP_READ: "MobileAppRead",
    Permission.MOBILE_APP_WRITE: "MobileAppWrite",
    Permission.USER_READ: "UserRead",
    Permission.USER_WRITE: "UserWrite",
}

IMPLIED: dict[Permission, Permission] = {
    Permission.API_KEY_WRITE: Permission.API_KEY_READ,
    Permission.CODE_BULK_ISSUE: Permission.CODE_ISSUE,
    Permission.SETTINGS_WRITE: Permission.SETTINGS_READ,
    Permission.MOBILE_APP_WRITE: Permission.MOBILE_APP_READ,
    Permission.USER_WRITE: Permission.USER_READ,
}

LEGACY_REALM_USER = (
    Permission.CODE_ISSUE
    | Permission.CODE_BULK_ISSUE
    | Permission.CODE_READ
    | Permission.CODE_EXPIRE
)
LEGACY_REALM_ADMIN = Permission(sum(PERMISSION_NAMES))
ALL_BITS = int(LEGACY_REALM_ADMIN)


class GrantError(ValueError):
    """A grant asked for unknown bits or bits the actor does not hold."""


def add_implied(perms: int) -> int:
    """Return ``perms`` with every implied permission added."""
    for source, implied in IMPLIED.items():
        if perms & source:
            perms |= implied
    return perms


def has(perms: int, needed: Permission) -> bool:
    """Say whether ``perms`` holds every bit of ``needed``."""
    return perms & needed == needed


def compile_and_authorize(actor_perms: int, requested: list[int]) -> int:
    """Combine requested grants, refusing any the actor does not fully hold."""
    result = 0
    for value in requested:
        known = value in PERMISSION_NAMES or value in (
            LEGACY_REALM_USER,
            LEGACY_REALM_ADMIN,
        )
        if not known:
            raise GrantError(f"provided permission {value} is unknown")
        # Fixes the original: holding any one bit of a preset was enough.
        if actor_perms & value != value:
            raise GrantError("actor does not have all scopes which are being granted")
        result |= value
    return add_implied(result)


def names(perms: int) -> list[str]:
    """Return the names of the bits set in ``perms``, in bit order."""
    return [name for bit, name in PERMISSION_NAMES.items() if perms & bit]
