"""Password hashing (argon2id) and the complexity rules of ui-and-data §3.2."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """Return an argon2id hash of ``password``."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Say whether ``password`` matches ``stored_hash`` (False if none stored)."""
    if not stored_hash:
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def complexity_errors(
    password: str,
    *,
    min_length: int = 8,
    upper: int = 1,
    lower: int = 1,
    digits: int = 1,
    special: int = 1,
) -> list[str]:
    """Return every complexity rule ``password`` breaks (empty when fine)."""
    counts = {"upper": 0, "lower": 0, "digits": 0, "special": 0}
    for ch in password:
        if ch.isupper():
            counts["upper"] += 1
        elif ch.islower():
            counts["lower"] += 1
        elif ch.isdigit():
            counts["digits"] += 1
        else:
            counts["special"] += 1
    errors = []
    if len(password) < min_length:
        errors.append(f"password must be at least {min_length} characters long")
    for name, need, label in (
        ("upper", upper, "uppercase characters"),
        ("lower", lower, "lowercase characters"),
        ("digits", digits, "digits"),
        ("special", special, "special characters"),
    ):
        if counts[name] < need:
            errors.append(f"password must contain at least {need} {label}")
    return errors
