"""The role × action matrix (P11-G1, AUTH-6, AUTH-7, P11-D1), on the real services and a real
SQLite store.

One store is built once through the services (a received lot waiting for inspection, an
accepted material lot, an accepted and labelled device lot, a held lot, a packed case, a shipped
unit). Every action is then called by every role, each call in its own transaction that is
rolled back, so all calls see the same state. A role the policy grants must get past the
check (the scenario is valid: the call succeeds); a role it does not grant must be denied
before anything is written. The outcome table must equal ``resources/policy/roles.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
import sqlalchemy as sa

from station import access
from station.access import (
    COMMISSION,
    GOODS_IN,
    INSPECTION_RECORD,
    LOT_HOLD,
    LOT_RELEASE,
    MASTERDATA_EDIT,
    PACK,
    PERMISSIONS,
    POLICY,
    POLICY_SHA256,
    POLICY_VERSION,
    RECALL_RUN,
    RECORD_CORRECT,
    RETURN,
    ROLE_TITLES,
    ROLES,
    SHIP,
    TRACE_VIEW,
    UNPACK,
    NotAuthenticatedError,
    NotPermittedError,
    PolicyError,
    load_policy,
)
from station.context import WriteContext
from station.events.ids import lgtin_uri, sgtin_uri
from station.masterdata.csvio import import_csv
from station.masterdata.editing import edit_row
from station.masterdata.specs import SPECS
from station.persistence.store import Store, open_store
from station.services.commissioning import commission_lot, commission_serials
from station.services.corrections import declare_error
from station.services.errors import Refused
from station.services.holds import place_hold, release_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.packing import pack, unpack
from station.services.receiving import receive
from station.services.returns import receive_return
from station.services.shipping import ship
from station.services.transformation import transform
from station.trace.api import recall, recall_by_fold, trace
from station.trace.holds import place_recall_holds
from tests.integration.test_services_setup import (
    CTX,
    DEVICE,
    LEDGER_TABLES,
    LOT_DEVICE,
    MATERIAL,
    SSCC_1,
    SSCC_2,
    gs1,
    load_master_data,
)
from ui.audited import submit_audited

ROOT = Path(__file__).resolve().parents[2]
SETUP = replace(CTX, actor="u-setup", actor_name="Set Up")  # every role
SETUP_OTHER = replace(SETUP, actor="u-other", actor_name="Other Person")  # every role, not u-setup
MADE, EXPIRES = date(2026, 11, 23), date(2029, 11, 23)
ACCEPTED = lgtin_uri(MATERIAL, "M1")  # received and passed incoming inspection
WAITING = lgtin_uri(MATERIAL, "M2")  # received, not yet inspected
HELD = lgtin_uri(MATERIAL, "M3")  # received and put on hold by u-setup
DEVICE_LOT = lgtin_uri(DEVICE, "D1")  # made from M1, passed, units S1…S4 labelled
NEW_LOT = lgtin_uri(DEVICE, "D3")  # made from M1 and passed, nothing labelled yet
LOT_LOT = lgtin_uri(LOT_DEVICE, "P1")  # a lot-traced device lot, passed, not yet labelled
UNIT = {n: sgtin_uri(DEVICE, f"S{n}") for n in range(1, 5)}  # S2 packed in SSCC_2, S3 shipped
IQC = (
    CheckpointResult("Diameter", 5.0),
    CheckpointResult("Visual", value=True),
    CheckpointResult("Remarks", "ok"),
)
FQC = (CheckpointResult("Leak test", value=True),)
SUPPLIER_ROW = "code,name,qualification\r\nSUP-NEW,New supplier,qualified\r\n"


def _do(store: Store, work: Callable[[sa.Connection], Any]) -> Any:
    return store.writer.submit(work).result()


def _inspect(conn: sa.Connection, ctx: WriteContext, uri: str, plan: str, verdict: Verdict) -> Any:
    results = IQC if plan == "IQC" else FQC
    if verdict is Verdict.FAIL and plan == "IQC":
        results = (CheckpointResult("Diameter", 9.0), *IQC[1:])
    return record_inspection(
        conn, ctx, uris=[uri], plan_code=plan, plan_version=1, results=results, verdict=verdict
    )


def _receive(conn: sa.Connection, lot: str, quantity: float = 100) -> Any:
    code = gs1(MATERIAL, lot=lot)
    return receive(conn, SETUP, po_number="PO-1", line_no=1, code=code, quantity=quantity)


def _build(store: Store) -> str:
    """The shared state; returns the eventID of the M2 receipt (to be declared in error)."""
    load_master_data(store.engine)

    def work(conn: sa.Connection) -> str:
        _receive(conn, "M1", 500)
        _inspect(conn, SETUP, ACCEPTED, "IQC", Verdict.PASS)
        waiting = _receive(conn, "M2")
        _receive(conn, "M3")
        place_hold(conn, SETUP, [HELD], reason="damaged pallet")
        made = ((DEVICE_LOT, DEVICE, "D1"), (NEW_LOT, DEVICE, "D3"), (LOT_LOT, LOT_DEVICE, "P1"))
        for output, gtin, lot in made:
            transform(
                conn,
                SETUP,
                inputs=[(ACCEPTED, 50, "EA")],
                output_gtin=gtin,
                output_lot=lot,
                output_quantity=10,
                production_date=MADE,
                expiry=EXPIRES,
            )
            _inspect(conn, SETUP, output, "FQC", Verdict.PASS)
        commission_serials(
            conn,
            SETUP,
            gtin=DEVICE,
            lot="D1",
            serials=["S1", "S2", "S3", "S4"],
            expiry=EXPIRES,
            production_date=MADE,
        )
        pack(conn, SETUP, sscc=SSCC_2, children=[UNIT[2]])
        ship(conn, SETUP, so_number="SO-1", uris=[UNIT[3]])
        return str(waiting.event_id)

    return str(_do(store, work))


@dataclass(frozen=True)
class Action:
    """A service call and the permissions it needs (all of them)."""

    needs: frozenset[str]
    call: Callable[[sa.Connection, WriteContext], object]


def _actions(receipt_id: str) -> dict[str, Action]:
    def one(permission: str, call: Callable[[sa.Connection, WriteContext], object]) -> Action:
        return Action(frozenset({permission}), call)

    def recall_holds(conn: sa.Connection, ctx: WriteContext) -> object:
        result = recall(conn, SETUP, ACCEPTED)  # the answer by someone allowed; the hold by ctx
        return place_recall_holds(conn, ctx, result, reason="supplier notice")

    return {
        "receive": one(
            GOODS_IN,
            lambda c, x: receive(
                c, x, po_number="PO-1", line_no=1, code=gs1(MATERIAL, lot="M9"), quantity=5
            ),
        ),
        "record_inspection": one(
            INSPECTION_RECORD, lambda c, x: _inspect(c, x, WAITING, "IQC", Verdict.PASS)
        ),
        "place_hold": one(LOT_HOLD, lambda c, x: place_hold(c, x, [WAITING], reason="suspect")),
        "place_hold(recall)": Action(
            frozenset({LOT_HOLD, RECALL_RUN}),
            lambda c, x: place_hold(c, x, [WAITING], reason="recall", recall=True),
        ),
        "release_hold": one(LOT_RELEASE, lambda c, x: release_hold(c, x, [HELD], reason="ok")),
        "transform": one(
            COMMISSION,
            lambda c, x: transform(
                c,
                x,
                inputs=[(ACCEPTED, 10, "EA")],
                output_gtin=DEVICE,
                output_lot="D2",
                output_quantity=5,
                production_date=MADE,
                expiry=EXPIRES,
            ),
        ),
        "commission_serials": one(
            COMMISSION,
            lambda c, x: commission_serials(
                c, x, gtin=DEVICE, lot="D3", serials=["S9"], expiry=EXPIRES, production_date=MADE
            ),
        ),
        "commission_lot": one(
            COMMISSION,
            lambda c, x: commission_lot(
                c, x, gtin=LOT_DEVICE, lot="P1", quantity=10, expiry=EXPIRES, production_date=MADE
            ),
        ),
        "pack": one(PACK, lambda c, x: pack(c, x, sscc=SSCC_1, children=[UNIT[1]])),
        "unpack": one(
            UNPACK, lambda c, x: unpack(c, x, sscc=SSCC_2, children=[UNIT[2]], reason="recount")
        ),
        "ship": one(SHIP, lambda c, x: ship(c, x, so_number="SO-1", uris=[UNIT[4]])),
        "receive_return": one(
            RETURN,
            lambda c, x: receive_return(c, x, uris=[UNIT[3]], rma="RMA-1", reason="damaged"),
        ),
        "declare_error": one(
            RECORD_CORRECT, lambda c, x: declare_error(c, x, receipt_id, reason="did_not_occur")
        ),
        "trace": one(TRACE_VIEW, lambda c, x: trace(c, x, UNIT[3])),
        "recall": one(RECALL_RUN, lambda c, x: recall(c, x, ACCEPTED)),
        "recall_by_fold": one(RECALL_RUN, lambda c, x: recall_by_fold(c, x, ACCEPTED)),
        "place_recall_holds": Action(frozenset({RECALL_RUN, LOT_HOLD}), recall_holds),
        "import_csv": one(
            MASTERDATA_EDIT,
            lambda c, x: import_csv(c, SPECS["suppliers"], SUPPLIER_ROW, x, "new supplier"),
        ),
        "edit_row": one(
            MASTERDATA_EDIT,
            lambda c, x: edit_row(
                c,
                x,
                SPECS["suppliers"],
                {"code": "SUP-NEW", "name": "New", "qualification": "qualified"},
                "new supplier",
            ),
        ),
    }


#: Permissions whose services live elsewhere, each with the test that checks it there.
ELSEWHERE = {
    "label.print": "tests/integration/test_label_printing.py (policy matrix of label services)",
    "label.reprint": "tests/integration/test_label_printing.py",
    "label.edit": "tests/integration/test_label_printing.py",
    "label.approve": "tests/integration/test_label_printing.py",
    "sync.retry": "tests/integration/test_sync_engine.py, tests/integration/test_sync_cli.py",
    "inspection.sign": "station/signatures (signing service)",
    "user.manage": "station/auth (user administration)",
    "settings.manage": "station/auth and the admin screen",
    "audit.view": "the audit screen's query service",
    "report.export": "tests/unit/test_access_matrix.py::test_cli_exports_need_report_export",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Action]]]:
    store = open_store(tmp_path_factory.mktemp("matrix") / "station.sqlite")
    try:
        receipt = _build(store)
        yield store, _actions(receipt)
    finally:
        store.close()


def _counts(conn: sa.Connection) -> dict[str, int]:
    return {
        t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in LEDGER_TABLES
    }


def _attempt(store: Store, action: Action, ctx: WriteContext) -> str:
    """``allowed``, ``denied`` (nothing written) or ``unauthenticated`` (nothing written); the
    call's transaction is always rolled back, so every attempt sees the same state."""
    with store.engine.connect() as conn:
        conn.begin()
        before = _counts(conn)
        try:
            action.call(conn, ctx)
        except NotPermittedError:
            assert _counts(conn) == before
            return "denied"
        except NotAuthenticatedError:
            assert _counts(conn) == before
            return "unauthenticated"
        finally:
            conn.rollback()
    return "allowed"


def _as(role: str | None, actor: str | None = None) -> WriteContext:
    roles = frozenset({role}) if role else frozenset()
    return replace(CTX, actor=actor or f"u-{role or 'none'}", roles=roles)


# ----------------------------------------------------------------------------- the policy


def test_roles_are_the_five_of_issue_7_in_order() -> None:
    assert ROLES == ("operator", "inspector", "supervisor", "qa", "admin")
    assert tuple(POLICY) == ROLES
    assert ROLE_TITLES["qa"] == "QA manager"
    assert POLICY_VERSION >= 1
    assert re.fullmatch(r"[0-9a-f]{64}", POLICY_SHA256)


@pytest.mark.req("AUTH-6")
def test_admin_may_not_sign_release_approve_or_correct_by_default() -> None:
    forbidden = {"inspection.sign", "lot.release", "label.approve", "record.correct"}
    assert POLICY["admin"] & forbidden == set()
    assert "user.manage" in POLICY["admin"]
    assert "lot.release" not in POLICY["inspector"]  # inspectors hold; QA releases


@pytest.mark.req("AUTH-6")
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace('"label.print",\n    "trace.view",\n]', '"label.typo",\n]'), "label"),
        (lambda t: t.replace("[roles.admin]", "[roles.root]"), "role"),
        (lambda t: t.replace("version = 1", ""), "version"),
        (lambda t: t.replace('"sync.retry" = "retry events the ERP refused"\n', ""), "missing"),
    ],
)
def test_a_policy_naming_what_the_code_does_not_know_is_refused_at_load(
    tmp_path: Path, change: Callable[[str], str], problem: str
) -> None:
    text = access.POLICY_FILE.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    bad = tmp_path / "roles.toml"
    bad.write_text(changed, encoding="utf-8")
    with pytest.raises(PolicyError, match=problem):
        load_policy(bad)
    assert load_policy(access.POLICY_FILE).roles == POLICY


def matrix_markdown() -> str:
    """The matrix as docs/access.md shows it (permissions down, roles across)."""
    head = "| permission | " + " | ".join(ROLE_TITLES[r] for r in ROLES) + " |"
    lines = [head, "|---|" + "---|" * len(ROLES)]
    for permission in PERMISSIONS:
        marks = " | ".join("✓" if permission in POLICY[r] else "" for r in ROLES)
        lines.append(f"| `{permission}` | {marks} |")
    return "\n".join(lines)


def test_docs_show_exactly_the_policy_file() -> None:
    docs = (ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    assert matrix_markdown() in docs, "regenerate the table in docs/access.md:\n" + (
        matrix_markdown()
    )
    assert f"version {POLICY_VERSION}" in docs


# ----------------------------------------------------------------------------- the matrix


@pytest.mark.req("P11-G1", "AUTH-6")
def test_every_action_is_allowed_exactly_as_the_policy_says(
    world: tuple[Store, dict[str, Action]],
) -> None:
    store, actions = world
    for name, action in actions.items():  # the scenario lets every action succeed
        assert _attempt(store, action, SETUP_OTHER) == "allowed", name
    table: dict[str, set[str]] = {}
    mismatches = []
    for role in ROLES:
        table[role] = set()
        for name, action in actions.items():
            outcome = _attempt(store, action, _as(role))
            expected = "allowed" if action.needs <= POLICY[role] else "denied"
            if outcome != expected:
                mismatches.append((role, name, outcome))
            if outcome == "allowed" and len(action.needs) == 1:
                table[role] |= action.needs
    assert mismatches == []
    exercised = {p for action in actions.values() for p in action.needs}
    assert table == {role: set(POLICY[role] & exercised) for role in ROLES}
    assert exercised | set(ELSEWHERE) == set(PERMISSIONS)
    assert not exercised & set(ELSEWHERE)


@pytest.mark.req("P11-G1")
def test_no_role_and_unknown_roles_are_denied_everything(
    world: tuple[Store, dict[str, Action]],
) -> None:
    store, actions = world
    for ctx in (_as(None), replace(CTX, actor="u-x", roles=frozenset({"superuser", "root"}))):
        assert {_attempt(store, a, ctx) for a in actions.values()} == {"denied"}


class _Session:
    """A login session that can end (station.auth's sessions have this ``check``)."""

    def __init__(self) -> None:
        self.live = True

    def check(self) -> None:
        if not self.live:
            msg = "the session has ended"
            raise NotAuthenticatedError(msg)


@pytest.mark.req("P11-D1")
def test_an_ended_session_is_refused_by_every_service_and_writes_nothing(
    world: tuple[Store, dict[str, Action]],
) -> None:
    store, actions = world
    session = _Session()
    ctx = replace(SETUP_OTHER, session=session)
    assert _attempt(store, actions["receive"], ctx) == "allowed"
    session.live = False
    outcomes = {name: _attempt(store, action, ctx) for name, action in actions.items()}
    assert outcomes == dict.fromkeys(actions, "unauthenticated")


@pytest.mark.req("AUTH-7")
def test_permissions_are_checked_at_every_call_never_cached(
    world: tuple[Store, dict[str, Action]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, actions = world
    operator = _as("operator")
    assert _attempt(store, actions["receive"], operator) == "allowed"
    # The role taken away: the next call carries the user's roles as they are now.
    assert _attempt(store, actions["receive"], replace(operator, roles=frozenset())) == "denied"
    # The policy itself changed between two calls: the next call obeys it.
    policy = cast("dict[str, frozenset[str]]", access.POLICY)
    monkeypatch.setitem(policy, "operator", POLICY["operator"] - {GOODS_IN})
    assert _attempt(store, actions["receive"], operator) == "denied"
    monkeypatch.undo()
    assert _attempt(store, actions["receive"], operator) == "allowed"


@pytest.mark.req("P11-G1", "P11-F1")
def test_a_denial_is_audited_in_its_own_transaction_with_the_policy(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "denied.sqlite")
    try:
        load_master_data(store.engine)
        operator = _as("operator")
        with pytest.raises(NotPermittedError):
            submit_audited(
                store.writer, operator, lambda c: place_hold(c, operator, [WAITING], reason="x")
            )
        with store.engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT actor, entity_id, new_value FROM audit WHERE action = 'access.denied'"
                )
            ).all()
            assert conn.execute(sa.text("SELECT count(*) FROM event")).scalar_one() == 0
    finally:
        store.close()
    assert len(rows) == 1
    actor, permission, new = rows[0]
    assert (actor, permission) == ("u-operator", "lot.hold")
    assert f'"policy_sha256":"{POLICY_SHA256}"' in new
    assert f'"policy_version":{POLICY_VERSION}' in new
    assert '"roles":["operator"]' in new


# ----------------------------------------------------------------------------- four eyes


def _refusal(store: Store, call: Callable[[sa.Connection], object]) -> str | None:
    with store.engine.connect() as conn:
        conn.begin()
        try:
            call(conn)
        except Refused as refused:
            return refused.reason
        finally:
            conn.rollback()
    return None


QA_A = replace(CTX, actor="u-qa-a", actor_name="QA A", roles=frozenset({"qa"}))
QA_B = replace(CTX, actor="u-qa-b", actor_name="QA B", roles=frozenset({"qa"}))
BOTH = replace(CTX, actor="u-dual", actor_name="Dual", roles=frozenset({"inspector", "qa"}))


@pytest.fixture
def received(tmp_path: Path) -> Iterator[Store]:
    """A store of its own (these tests commit holds): master data and lot M2 received."""
    store = open_store(tmp_path / "four-eyes.sqlite")
    try:
        load_master_data(store.engine)
        _do(store, lambda c: _receive(c, "M2"))
        yield store
    finally:
        store.close()


@pytest.mark.req("AUTH-7")
def test_nobody_releases_a_hold_they_placed(received: Store) -> None:
    store = received
    release = partial_release(WAITING)
    _do(store, lambda c: place_hold(c, QA_A, [WAITING], reason="suspect"))
    assert _refusal(store, lambda c: release(c, QA_A)) == "same_person"
    assert _refusal(store, lambda c: release(c, replace(QA_B, actor=None))) == "same_person"
    assert _refusal(store, lambda c: release(c, QA_B)) is None
    _do(store, lambda c: release(c, QA_B))
    # A's hold ended with that release; a new hold by B is B's alone, so A may release it.
    _do(store, lambda c: place_hold(c, QA_B, [WAITING], reason="again"))
    assert _refusal(store, lambda c: release(c, QA_B)) == "same_person"
    _do(store, lambda c: release(c, QA_A))
    # A recall laid over a quality hold: both holders are excluded from the release.
    _do(store, lambda c: place_hold(c, QA_A, [WAITING], reason="suspect"))
    _do(store, lambda c: place_hold(c, QA_B, [WAITING], reason="recall", recall=True))
    assert _refusal(store, lambda c: release(c, QA_A)) == "same_person"
    assert _refusal(store, lambda c: release(c, QA_B)) == "same_person"
    third = replace(QA_B, actor="u-qa-c")
    assert _refusal(store, lambda c: release(c, third)) is None


@pytest.mark.req("AUTH-7")
def test_nobody_releases_what_their_own_failed_inspection_held(received: Store) -> None:
    store = received
    release = partial_release(WAITING)
    _do(store, lambda c: _inspect(c, BOTH, WAITING, "IQC", Verdict.FAIL))  # the fail holds it
    assert _refusal(store, lambda c: release(c, BOTH)) == "same_person"
    assert _refusal(store, lambda c: release(c, QA_B)) is None


def partial_release(uri: str) -> Callable[[sa.Connection, WriteContext], object]:
    return lambda conn, ctx: release_hold(conn, ctx, [uri], reason="cleared")


# ----------------------------------------------------------------------------- command line


@pytest.mark.req("P11-G1")
def test_cli_exports_need_report_export(world: tuple[Store, dict[str, Action]]) -> None:
    """``report.export`` is checked where reports are written: the export commands (the report
    builders are pure functions of a trace or recall result)."""
    from ui.commands import actor as cli_actor  # noqa: PLC0415

    class Recorder:
        def __init__(self) -> None:
            self.entries: list[Any] = []

        def record(self, ctx: WriteContext, entries: Any) -> str:
            self.entries += entries
            return "recorded"

    for role in ROLES:
        recorder = Recorder()
        try:
            cli_actor.require_audited(recorder, _as(role), "report.export")
            permitted = True
        except NotPermittedError:
            permitted = False
        assert permitted == ("report.export" in POLICY[role]), role
        assert [e.action for e in recorder.entries] == ([] if permitted else ["access.denied"])
