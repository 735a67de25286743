"""Password hashing (argon2id) and the complexity rules of ui-and-data §3.2."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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


class Rule(StrEnum):
    """The password rules, as stable keys a surface can word in any language."""

    MIN_LENGTH = "min-length"
    UPPER = "upper"
    LOWER = "lower"
    DIGITS = "digits"
    SPECIAL = "special"
    MISMATCH = "mismatch"


_ENGLISH = {
    Rule.MIN_LENGTH: "password must be at least {need} characters long",
    Rule.UPPER: "password must contain at least {need} uppercase characters",
    Rule.LOWER: "password must contain at least {need} lowercase characters",
    Rule.DIGITS: "password must contain at least {need} digits",
    Rule.SPECIAL: "password must contain at least {need} special characters",
    Rule.MISMATCH: "passwords do not match",
}


@dataclass(frozen=True)
class RuleBreak:
    """One broken rule and the number it asks for (0 when it has none)."""

    rule: Rule
    need: int = 0

    @property
    def english(self) -> str:
        """Return the rule's English text (CLI, logs, untranslated surfaces)."""
        return _ENGLISH[self.rule].format(need=self.need)


def complexity_breaks(
    password: str,
    *,
    min_length: int = 8,
    upper: int = 1,
    lower: int = 1,
    digits: int = 1,
    special: int = 1,
) -> list[RuleBreak]:
    """Return every complexity rule ``password`` breaks (empty when fine)."""
    counts = {Rule.UPPER: 0, Rule.LOWER: 0, Rule.DIGITS: 0, Rule.SPECIAL: 0}
    for ch in password:
        if ch.isupper():
            counts[Rule.UPPER] += 1
        elif ch.islower():
            counts[Rule.LOWER] += 1
        elif ch.isdigit():
            counts[Rule.DIGITS] += 1
        else:
            counts[Rule.SPECIAL] += 1
    breaks = []
    if len(password) < min_length:
        breaks.append(RuleBreak(Rule.MIN_LENGTH, min_length))
    needs = {Rule.UPPER: upper, Rule.LOWER: lower, Rule.DIGITS: digits}
    needs[Rule.SPECIAL] = special
    breaks += [
        RuleBreak(rule, need) for rule, need in needs.items() if counts[rule] < need
    ]
    return breaks


def complexity_errors(password: str, **rules: int) -> list[str]:
    """Return the English texts of the rules ``password`` breaks."""
    return [b.english for b in complexity_breaks(password, **rules)]
