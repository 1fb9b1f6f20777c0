"""Permitted overrides: refusals an operator may overrule with a stated reason.

Permissions arrive in a later issue (P11-G1); until then any actor may override, and the
``st:override`` extension records who did and why, next to the refusals overruled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from station.context import WriteContext
from station.services.errors import Refused

__all__ = ["OVERRIDABLE", "override_extension", "settle"]

#: Reason codes an override may overrule; every other refusal is final.
OVERRIDABLE = frozenset({"expired", "supplier_conditional"})


def settle(refusals: Sequence[Refused], override_reason: str | None) -> None:
    """Raise the first refusal unless every one is overridable and a reason is given."""
    for refused in refusals:
        if refused.reason not in OVERRIDABLE or not (override_reason or "").strip():
            raise refused


def override_extension(
    ctx: WriteContext, overruled: Sequence[Refused], override_reason: str | None
) -> dict[str, Any]:
    """``{"st:override": …}`` when refusals were overruled, else nothing."""
    if not overruled or override_reason is None:
        return {}
    who = {"actor": ctx.actor, "actorName": ctx.actor_name}
    return {
        "st:override": {
            **{key: value for key, value in who.items() if value is not None},
            "reason": override_reason,
            "overruled": [refused.reason for refused in overruled],
        }
    }
