"""What a PIN or password must be (P11-U4, NIST SP 800-63B): long enough, not trivial.

Messages never repeat the secret.

>>> check_secret("pin", "204613")
>>> check_secret("pin", "12345")
Traceback (most recent call last):
...
station.auth.rules.WeakSecretError: a PIN is at least 6 digits
>>> check_secret("pin", "123456")
Traceback (most recent call last):
...
station.auth.rules.WeakSecretError: a PIN must not be a run of digits (123456, 111111 …)
>>> check_secret("password", "correct horse")
>>> check_secret("password", "short")
Traceback (most recent call last):
...
station.auth.rules.WeakSecretError: a password is at least 10 characters
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from station.errors import StationError

__all__ = [
    "KINDS",
    "MAX_SECRET_CHARS",
    "MIN_PASSWORD_CHARS",
    "MIN_PIN_DIGITS",
    "WeakSecretError",
    "check_secret",
]

KINDS = ("pin", "password")
MIN_PIN_DIGITS = 6
MIN_PASSWORD_CHARS = 10
MAX_SECRET_CHARS = 128  # argon2 takes any length; a bound keeps a pasted novel out
_DIGITS = re.compile(r"[0-9]+")


class WeakSecretError(StationError):
    """The new PIN or password breaks a rule; nothing was stored."""


def _is_run(digits: str) -> bool:
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return len(steps) == 1 and steps <= {0, 1, 9}


def check_secret(kind: str, secret: str, *, not_equal_to: tuple[str, ...] = ()) -> None:
    """Raise WeakSecretError unless ``secret`` is an acceptable ``kind`` (``pin``/``password``).

    ``not_equal_to``: values the secret must differ from (the user name, the badge).
    """
    if kind not in KINDS:
        msg = f"a secret is a pin or a password, not {kind[:16]!r}"
        raise WeakSecretError(msg)
    text = unicodedata.normalize("NFKC", secret)
    if len(text) > MAX_SECRET_CHARS:
        msg = f"a {kind} is at most {MAX_SECRET_CHARS} characters"
        raise WeakSecretError(msg)
    if kind == "pin":
        if not _DIGITS.fullmatch(text) or len(text) < MIN_PIN_DIGITS:
            msg = f"a PIN is at least {MIN_PIN_DIGITS} digits"
            raise WeakSecretError(msg)
        if _is_run(text):
            msg = "a PIN must not be a run of digits (123456, 111111 …)"
            raise WeakSecretError(msg)
    else:
        if len(text) < MIN_PASSWORD_CHARS:
            msg = f"a password is at least {MIN_PASSWORD_CHARS} characters"
            raise WeakSecretError(msg)
        if not text.strip() or any(unicodedata.category(c) == "Cc" for c in text):
            msg = "a password must not be blank or hold control characters"
            raise WeakSecretError(msg)
    if any(text.casefold() == other.casefold() for other in not_equal_to if other):
        msg = f"the {kind} must not be the user name or the badge"
        raise WeakSecretError(msg)
