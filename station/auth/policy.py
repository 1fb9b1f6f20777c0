"""The sign-in rules in force: timeouts, expiry, lockout, rate limit, staleness (docs/auth.md).

Built from the settings (``[auth]`` in the settings file) by :meth:`AuthPolicy.from_settings`;
the defaults are the compliance list's (AUTH-3, AUTH-4, P11-U5, P11-U6, P11-U7).

>>> policy = AuthPolicy()
>>> policy.idle_timeout, policy.max_failures, policy.delay_after(3)
(datetime.timedelta(seconds=300), 5, datetime.timedelta(seconds=4))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from station.config import (
    AUTH_IDLE_TIMEOUT_MINUTES,
    AUTH_MAX_FAILURES,
    AUTH_PIN_EXPIRY_DAYS,
    AUTH_SESSION_HOURS,
    AUTH_STATION_FAILURES_PER_MINUTE,
    AUTH_USER_LIST_MAX_AGE_HOURS,
    SYNC_CONNECTOR,
    SYNC_MASTER_DATA,
    Settings,
)

__all__ = ["AuthPolicy"]


@dataclass(frozen=True, slots=True)
class AuthPolicy:
    """Sign-in rules. ``None`` for an expiry or age means "no limit"."""

    idle_timeout: timedelta = timedelta(minutes=5)
    session_cap: timedelta = timedelta(hours=12)
    secret_expiry: timedelta | None = timedelta(days=180)
    max_failures: int = 5
    #: Wait after the first failure; doubles with each further consecutive failure.
    base_delay: timedelta = timedelta(seconds=1)
    #: Failed sign-ins at this station (any user) within ``rate_window`` before it refuses.
    station_failures: int = 20
    rate_window: timedelta = timedelta(minutes=1)
    #: Users come from the ERP and a pull older than this needs a supervisor (P11-U6).
    user_list_max_age: timedelta | None = None

    def delay_after(self, failures: int) -> timedelta:
        """How long to wait after ``failures`` consecutive failures (0 → none)."""
        if failures <= 0:
            return timedelta(0)
        return self.base_delay * int(2 ** min(failures - 1, 16))

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthPolicy:
        """The policy the settings ask for. The user list's age counts only when users come
        from the ERP (an EPCIS connector pulling master data); a standalone station keeps its
        own users, which are never stale."""
        expiry_days = settings.get(AUTH_PIN_EXPIRY_DAYS)
        max_age_hours = settings.get(AUTH_USER_LIST_MAX_AGE_HOURS)
        from_erp = settings.get(SYNC_CONNECTOR) == "epcis" and settings.get(SYNC_MASTER_DATA)
        return cls(
            idle_timeout=timedelta(minutes=settings.get(AUTH_IDLE_TIMEOUT_MINUTES)),
            session_cap=timedelta(hours=settings.get(AUTH_SESSION_HOURS)),
            secret_expiry=timedelta(days=expiry_days) if expiry_days else None,
            max_failures=settings.get(AUTH_MAX_FAILURES),
            station_failures=settings.get(AUTH_STATION_FAILURES_PER_MINUTE),
            user_list_max_age=(
                timedelta(hours=max_age_hours) if from_erp and max_age_hours else None
            ),
        )
