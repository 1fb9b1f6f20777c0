"""The P11-F1 lot state machine: the transition table stays inside the reviewed graph, labels
need ACCEPTED, and random action sequences never leave the graph (hypothesis)."""

from __future__ import annotations

from collections import deque

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from station.services.lifecycle import TRANSITIONS, LotAction, LotState, next_state

S = LotState
#: The reviewed graph: RECEIVED → (IN_INSPECTION →) ACCEPTED/REJECTED/QUARANTINE → LABELLED →
#: SHIPPED, with re-inspection after a quarantine or rejection is released. A first inspection
#: is one event, so RECEIVED reaches its verdict directly. Self-loops are always allowed.
GRAPH: dict[LotState | None, set[LotState]] = {
    None: {S.RECEIVED},
    S.RECEIVED: {S.ACCEPTED, S.REJECTED, S.QUARANTINE},
    S.IN_INSPECTION: {S.ACCEPTED, S.REJECTED, S.QUARANTINE},
    S.ACCEPTED: {S.QUARANTINE, S.LABELLED},
    S.REJECTED: {S.IN_INSPECTION},
    S.QUARANTINE: {S.IN_INSPECTION},
    S.LABELLED: {S.SHIPPED},
    S.SHIPPED: set(),
}


@pytest.mark.req("P11-F1")
def test_every_transition_is_an_edge_of_the_graph() -> None:
    for (before, _action), after in TRANSITIONS.items():
        assert after == before or after in GRAPH[before], (before, after)


@pytest.mark.req("P11-F1")
def test_labels_and_shipping_need_the_states_before_them() -> None:
    allowed = {(before, action) for before, action in TRANSITIONS}
    states: list[LotState | None] = [None, *LotState]
    assert {s for s in states if (s, LotAction.LABEL) in allowed} == {S.ACCEPTED, S.LABELLED}
    assert {s for s in states if (s, LotAction.SHIP) in allowed} == {S.LABELLED, S.SHIPPED}
    assert {s for s in states if (s, LotAction.CONSUME) in allowed} == {S.ACCEPTED}


@pytest.mark.req("P11-F1")
def test_no_lot_is_labelled_without_having_been_accepted() -> None:
    """Exhaustive: with ACCEPTED removed, no action sequence reaches LABELLED."""
    seen: set[LotState | None] = {None}
    queue: deque[LotState | None] = deque([None])
    while queue:
        state = queue.popleft()
        for action in LotAction:
            after = next_state(state, action)
            if after is not None and after is not S.ACCEPTED and after not in seen:
                seen.add(after)
                queue.append(after)
    assert S.LABELLED not in seen
    assert S.SHIPPED not in seen


class LotMachine(RuleBasedStateMachine):
    """Random actions on one lot: refused ones change nothing, allowed ones follow the graph."""

    def __init__(self) -> None:
        super().__init__()
        self.state: LotState | None = None
        self.visited: list[LotState | None] = [None]

    @rule(action=st.sampled_from(LotAction))
    def act(self, action: LotAction) -> None:
        after = next_state(self.state, action)
        if after is None:
            return  # the service refuses with wrong_state: nothing is written
        assert after == self.state or after in GRAPH[self.state]
        self.state = after
        self.visited.append(after)

    @invariant()
    def labelled_lots_were_accepted(self) -> None:
        if self.state in (S.LABELLED, S.SHIPPED):
            assert S.ACCEPTED in self.visited

    @invariant()
    def inside_the_graph(self) -> None:
        assert self.state in GRAPH


LotMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
test_random_actions_never_leave_the_graph = pytest.mark.req("P11-F1")(LotMachine.TestCase)
