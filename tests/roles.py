"""Contexts for tests that are not about permissions: they act with every role.

Tests about permissions build their contexts precisely instead (one role, none, an unknown one;
see ``tests/unit/test_access_matrix.py``). Four eyes still applies to an every-role context:
a release must come from another person than the hold, so tests release with a second actor.
"""

from __future__ import annotations

from dataclasses import replace

from station.access import ROLES
from station.context import WriteContext

__all__ = ["EVERY_ROLE", "READER", "every_role", "second_person"]

#: Every role of the policy: whatever a service checks, this context holds it.
EVERY_ROLE = frozenset(ROLES)


def every_role(ctx: WriteContext) -> WriteContext:
    """``ctx`` holding every role."""
    return replace(ctx, roles=EVERY_ROLE)


def second_person(ctx: WriteContext, actor: str = "u-qa", name: str = "Quinn QA") -> WriteContext:
    """Another person at the same station and clock, with every role (a releaser, an approver)."""
    return replace(ctx, actor=actor, actor_name=name, roles=EVERY_ROLE)


#: Someone who may read anything: for tests of trace and recall that are not about roles.
READER = WriteContext(station="ST-1", actor="u-reader", actor_name="Rita Reader", roles=EVERY_ROLE)
