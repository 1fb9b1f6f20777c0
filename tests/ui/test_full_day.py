"""A full day at the station (issue 7's first acceptance item), through the real window.

One demo station window (``make_gui("en", demo=True)``) and the demo's users, each signing in
at the sign-in page as at the station: the badge scanned (routed through
``MainWindow.route_scan``, where the session guard takes it and ends whoever was signed in)
and the PIN typed, Enter. Every code reaches the screens as a scanner delivers it.

1. wang (operator), Goods-in: scan the open PO, scan a supplier's GS1 label (lot, expiry),
   receive → a receiving event; the lot is RECEIVED.
2. li (inspector), QC bench: scan that lot, fill the incoming plan within its limits, record,
   sign *reviewed* (the session's first signature: badge and PIN) → the lot is ACCEPTED (no
   release needed), the signature valid.
3. wang, Print labels (F6): unit labels for the demo's lot accepted today, read back from the
   rendered labels → the print job ok, the units commissioned, the lot LABELLED.
4. li, QC bench: each new unit's functional test, recorded and signed *reviewed* (a new
   session: badge and PIN at the first signature, the PIN alone after).
5. wang, Packing: New SSCC, the units scanned in, Close → an aggregation event.
6. wang, Shipping: the customer's sales order scanned, the case scanned, Ship → a shipping
   event.
7. zhao (supervisor), Trace: a shipped unit → commissioned, inspected, packed, shipped, the
   functional test with li's signature; the genealogy back to the supplier lot and supplier,
   forward to the customer. The morning's supplier lot: received, inspected, signed.
8. sun (QA), Recall workbench: the device lot's supplier lot → the shipped units and the
   customer in the affected set.
9. sun, Audit: *Ledger intact* on screen; sun signs out.

At the end, the database: each item's events in order with who recorded them, every
signature valid (``verify_all_signatures``, ``signatures_for``), ``verify_ledger`` as
``station verify`` runs it clean, and a login and a logout for every session of every user.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from pytestqt.qtbot import QtBot

from station.auth.session import Session
from station.demo.catalogue import DEVICES, MATERIALS
from station.events.ids import lgtin_uri, sgtin_uri, sscc_uri
from station.ledger.verify import VerifyReport, verify_ledger
from station.scanning.raw import RawScan
from station.services.lifecycle import LotState, lot_state
from station.services.projection import current_state
from station.signatures.verify import SignatureStatus, signatures_for, verify_all_signatures
from station.trace.model import RecallResult
from station.trace.view import TraceView
from tests.floor_data import gs1, sscc_scan
from tests.ui.conftest import MakeGui
from tests.ui.helpers import press, type_text
from ui.app import StationGui
from ui.commands.verify import _key_store_keys
from ui.demo_station import DEMO_USERS, DemoUser
from ui.feedback import Outcome
from ui.print_run import PrintRunResult
from ui.qt import QComboBox, QLineEdit, Qt
from ui.screens.audit import AuditScreen
from ui.screens.goods_in import GoodsInScreen
from ui.screens.packing import PackingScreen
from ui.screens.qc_bench import QcBenchScreen
from ui.screens.recall import RecallScreen
from ui.screens.shipping import ShippingScreen
from ui.screens.trace import TraceScreen
from ui.screens.trace_models import SIGNED, WHAT
from ui.screens.work import FloorScreen
from ui.views.sign_dialog import SignDialog

WAIT = 120_000  # ms: slow, loaded CI machines; every wait ends on a real condition
SOURCE = "serial:full-day"
MATERIAL = MATERIALS[0]  # tubing from a qualified supplier, on PO-2026-PT
DEVICE = DEVICES[0]  # the device of the demo's lot accepted today
PO = "PO-2026-PT"
SO = "SO-2026-CUST-PUMCH"
CUSTOMER = "https://id.gs1.org/417/6901234002010"  # its GLN: CUST-PUMCH, the SO's customer
CUSTOMER_NAME = "Peking Union Medical College Hospital"
UNITS = 3


# -- the station ---------------------------------------------------------------------------


def route(gui: StationGui, raw: bytes) -> None:
    """One scan into the window, exactly as a scanner delivers it."""
    gui.window.route_scan(RawScan.now(raw, SOURCE))


def rows(gui: StationGui, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    assert gui.workstation is not None
    with gui.workstation.store.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def count(gui: StationGui, sql: str, **params: Any) -> int:
    return int(rows(gui, sql, **params)[0][0])


def user(username: str) -> DemoUser:
    return next(u for u in DEMO_USERS if u.username == username)


def badge_in(qtbot: QtBot, gui: StationGui, username: str) -> Session:
    """Scan the user's badge (ending whoever is signed in), type the PIN, press Enter."""
    assert gui.work is not None
    assert gui.workstation is not None
    who = user(username)
    workstation, page = gui.workstation, gui.work.sign_in
    route(gui, f"]C0{who.badge}".encode())
    assert workstation.session is None  # another badge ends the session at once
    assert gui.window.pages.currentWidget() is page
    assert page.badge.text() == who.badge
    assert page.secret.hasFocus() or not gui.window.isActiveWindow()
    type_text(page.secret, who.secret)
    press(page.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workstation.session is not None, timeout=WAIT)
    session = workstation.session
    assert isinstance(session, Session)
    assert session.username == username
    return session


def show(gui: StationGui, screen_id: str) -> Any:
    assert gui.window.show_screen(screen_id), f"{screen_id} is not open to this user"
    return gui.window.screens[screen_id]


def settle(qtbot: QtBot, screen: FloorScreen) -> None:
    """Every read and write the floor screen asked for has answered."""
    qtbot.waitUntil(lambda: screen.reader.pending == 0 and screen.writes_pending == 0, timeout=WAIT)


def outcome_is(screen: Any, outcome: Outcome, text: str = "") -> bool:
    banner = screen.banner
    return banner.outcome is outcome and text in banner.headline.text()


def events(gui: StationGui, step: str) -> int:
    return count(gui, "SELECT count(*) FROM event WHERE biz_step = :s", s=step)


# -- QC bench ------------------------------------------------------------------------------


def inspect_and_sign(
    qtbot: QtBot,
    screen: QcBenchScreen,
    gui: StationGui,
    raw: bytes,
    uri: str,
    plan: str,
    values: dict[str, str | bool],
    *,
    first: bool,
) -> str:
    """Scan, choose the plan, fill the form, record, sign *reviewed*; the event id."""
    route(gui, raw)
    qtbot.waitUntil(
        lambda: (
            screen.lookup is not None
            and screen.lookup.target is not None
            and screen.lookup.target.uri == uri
        ),
        timeout=WAIT,
    )
    index = next(
        i
        for i in range(screen.plan_box.count())
        if getattr(screen.plan_box.itemData(i), "code", None) == plan
    )
    screen.plan_box.setCurrentIndex(index)
    for name, value in values.items():
        entry = screen.form.inputs[name]
        if isinstance(value, bool):
            assert isinstance(entry, QComboBox)
            entry.setCurrentIndex(entry.findData(value))
        else:
            assert isinstance(entry, QLineEdit)
            entry.clear()
            type_text(entry, value)
    assert screen.chosen_verdict().value == "pass"
    qtbot.waitUntil(screen.record_button.isEnabled, timeout=WAIT)
    screen.record_button.click()
    qtbot.waitUntil(lambda: screen.sign_dialog is not None, timeout=WAIT)
    dialog = screen.sign_dialog
    assert isinstance(dialog, SignDialog)
    assert dialog.meaning.text() == "Reviewed"
    session = gui.workstation.session if gui.workstation else None
    assert isinstance(session, Session)
    who = user(session.username)
    # Part 11: badge and PIN at the session's first signature, the PIN alone after.
    assert dialog.asks_identity is first
    if first:
        assert who.badge is not None
        dialog.identity.setText(who.badge)
    outcome: list[str] = []
    dialog.signed.connect(lambda _signature: outcome.append("signed"))
    dialog.refused.connect(lambda text: outcome.append(f"refused: {text}"))
    dialog.secret.setFocus()
    type_text(dialog.secret, who.secret)
    press(dialog.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT)
    assert outcome == ["signed"], dialog.message.text()
    assert dialog.manifestation_lines[0] == f"Signed by {who.name}"
    assert dialog.manifestation_lines[2] == "Meaning: Reviewed"
    event_id = dialog.request.record.id
    dialog.accept()
    qtbot.waitUntil(lambda: screen.sign_dialog is None, timeout=WAIT)
    assert gui.workstation is not None
    with gui.workstation.store.engine.connect() as conn:
        checks = signatures_for(conn, event_id)
    assert [(c.signature.signer, c.signature.meaning) for c in checks] == [
        (who.username, "reviewed")
    ]
    assert all(c.status is SignatureStatus.VALID for c in checks), checks
    return event_id


# -- the day -------------------------------------------------------------------------------


@dataclass
class Day:
    """The window and what the day has made so far."""

    qtbot: QtBot
    gui: StationGui
    supplier_scan: bytes
    supplier_uri: str
    incoming: str = ""  # the supplier lot's inspection event
    device_lot_uri: str = ""
    units: list[str] = field(default_factory=list)
    unit_scans: list[bytes] = field(default_factory=list)
    tests: list[str] = field(default_factory=list)  # the units' functional test events
    sscc: str = ""
    supplier_lots: set[str] = field(default_factory=set)  # of the device lot
    #: The demo's own history ends here: its audit entries and signatures are not the day's.
    audit_before: int = 0
    signatures_before: int = 0

    def lot_state(self, uri: str) -> LotState | None:
        assert self.gui.workstation is not None
        with self.gui.workstation.store.engine.connect() as conn:
            return lot_state(conn, uri)

    def states(self) -> list[Any]:
        assert self.gui.workstation is not None
        with self.gui.workstation.store.engine.connect() as conn:
            return [current_state(conn, uri) for uri in self.units]


def receive(day: Day) -> None:
    """1. Goods-in: wang scans the PO and the supplier's label and receives the lot."""
    qtbot, gui = day.qtbot, day.gui
    badge_in(qtbot, gui, "wang")
    screen = show(gui, "goods_in")
    assert isinstance(screen, GoodsInScreen)
    settle(qtbot, screen)
    route(gui, f"]C0{PO}".encode())
    qtbot.waitUntil(lambda: screen.po == PO and screen.line_model.rowCount() > 0, timeout=WAIT)
    settle(qtbot, screen)
    route(gui, day.supplier_scan)
    qtbot.waitUntil(screen.receive_button.isEnabled, timeout=WAIT)
    assert screen.lot.full_text() == day.supplier_uri.rsplit("/", 1)[-1]
    assert screen.expiry.full_text()
    assert screen.banner.outcome is Outcome.ACCEPTED, screen.banner.detail.text()
    screen.quantity.setValue(120)
    before = events(gui, "receiving")
    press(screen.receive_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: outcome_is(screen, Outcome.ACCEPTED, "RECEIVED"), timeout=WAIT)
    assert events(gui, "receiving") == before + 1
    assert day.lot_state(day.supplier_uri) is LotState.RECEIVED


def inspect_supplier_lot(day: Day) -> None:
    """2. QC bench: li inspects the supplier lot, signs it reviewed; the lot is accepted."""
    badge_in(day.qtbot, day.gui, "li")
    screen = show(day.gui, "qc_bench")
    assert isinstance(screen, QcBenchScreen)
    values: dict[str, str | bool] = {"Diameter": "5.02", "Visual": True}
    day.incoming = inspect_and_sign(
        day.qtbot, screen, day.gui, day.supplier_scan, day.supplier_uri, "IQC", values, first=True
    )
    assert day.lot_state(day.supplier_uri) is LotState.ACCEPTED


def print_and_verify(day: Day) -> None:
    """3. Print labels (F6): wang prints unit labels for the demo's accepted device lot."""
    qtbot, gui = day.qtbot, day.gui
    badge_in(qtbot, gui, "wang")
    refusals = count(gui, "SELECT count(*) FROM audit WHERE action = 'service.refused'")
    action = gui.window.print_action
    assert action is not None
    action.trigger()
    dialog = gui.label_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.setup is not None, timeout=WAIT)
    index = dialog.template_box.findData("udi-unit")
    assert index >= 0
    dialog.template_box.setCurrentIndex(index)
    dialog.copies.setValue(UNITS)
    # Read back from the rendered label. The demo camera would read the labels too, but its
    # reads also reach the screen on show as scans (ui/app.py _wire_camera → route_scan).
    dialog.camera_check.setChecked(False)
    assert dialog.fields["gtin"].text() == DEVICE.gtin
    day.device_lot_uri = lgtin_uri(DEVICE.gtin, dialog.fields["lot"].text())
    assert day.lot_state(day.device_lot_uri) is LotState.ACCEPTED
    with qtbot.waitSignal(dialog.run_finished, timeout=WAIT) as finished:
        dialog.print_button.click()
    result = finished.args[0]
    assert isinstance(result, PrintRunResult)
    assert result.ok, (result, dialog.error.text())
    assert len(result.serials) == UNITS
    assert "Every label read back as recorded" in dialog.status.text()
    dialog.close()
    assert count(gui, "SELECT count(*) FROM audit WHERE action = 'service.refused'") == refusals
    job = result.job_id
    assert rows(gui, "SELECT kind, labels, actor FROM print_job WHERE job_id = :j", j=job) == [
        ("print", UNITS, "wang")
    ]
    passed = "SELECT count(*) FROM label_check WHERE job_id = :j AND passed"
    assert count(gui, passed, j=job) == UNITS
    day.units = [sgtin_uri(DEVICE.gtin, serial) for serial in result.serials]
    day.unit_scans = [f"]d201{DEVICE.gtin}21{serial}".encode() for serial in result.serials]
    states = day.states()
    assert all(s is not None and s.status == "in_stock" for s in states), states
    assert day.lot_state(day.device_lot_uri) is LotState.LABELLED


def functional_tests(day: Day) -> None:
    """4. QC bench: li tests each unit and signs (a new session: badge and PIN, then the PIN
    alone)."""
    badge_in(day.qtbot, day.gui, "li")
    screen = show(day.gui, "qc_bench")
    values: dict[str, str | bool] = {"Flow rate": "100.4", "Occlusion alarm": True}
    day.tests = [
        inspect_and_sign(day.qtbot, screen, day.gui, raw, uri, "FT", values, first=number == 0)
        for number, (raw, uri) in enumerate(zip(day.unit_scans, day.units, strict=True))
    ]


def pack(day: Day) -> None:
    """5. Packing: wang opens a new SSCC, scans the units in and closes the case."""
    qtbot, gui = day.qtbot, day.gui
    badge_in(qtbot, gui, "wang")
    screen = show(gui, "packing")
    assert isinstance(screen, PackingScreen)
    settle(qtbot, screen)
    press(screen.new_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.sscc is not None, timeout=WAIT)
    assert screen.sscc is not None
    day.sscc = screen.sscc
    screen.target.setValue(UNITS)
    for number, raw in enumerate(day.unit_scans, start=1):
        route(gui, raw)
        qtbot.waitUntil(lambda n=number: len(screen.items) == n, timeout=WAIT)  # type: ignore[misc]
        settle(qtbot, screen)
        assert screen.banner.outcome is Outcome.ACCEPTED, screen.banner.detail.text()
    assert screen.count_label.text() == f"{UNITS} / {UNITS}"
    before = events(gui, "packing")
    press(screen.close_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: outcome_is(screen, Outcome.ACCEPTED, "CLOSED"), timeout=WAIT)
    assert events(gui, "packing") == before + 1
    assert {s.parent_uri if s else None for s in day.states()} == {sscc_uri(day.sscc)}


def ship(day: Day) -> None:
    """6. Shipping: wang scans the sales order and the case, and ships."""
    qtbot, gui = day.qtbot, day.gui
    screen = show(gui, "shipping")
    assert isinstance(screen, ShippingScreen)
    settle(qtbot, screen)
    route(gui, f"]C0{SO}".encode())
    qtbot.waitUntil(lambda: screen.so == SO, timeout=WAIT)
    settle(qtbot, screen)
    route(gui, sscc_scan(day.sscc))
    qtbot.waitUntil(lambda: screen.unit_count() == UNITS, timeout=WAIT)
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.ACCEPTED, screen.banner.detail.text()
    before = events(gui, "shipping")
    press(screen.ship_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: outcome_is(screen, Outcome.ACCEPTED, "SHIPPED"), timeout=WAIT)
    assert events(gui, "shipping") == before + 1
    assert {s.status if s else None for s in day.states()} == {"shipped"}


def signature_cells(screen: TraceScreen) -> dict[str, str]:
    """Event id → the timeline's e-signature column as shown."""
    model = screen.timeline
    return {model.rows[r].event_id: model.cell(r, SIGNED) for r in range(model.rowCount())}


def trace(day: Day) -> None:
    """7. Trace: zhao scans a shipped unit, then the supplier lot received in the morning."""
    qtbot, gui = day.qtbot, day.gui
    badge_in(qtbot, gui, "zhao")
    screen = show(gui, "trace")
    assert isinstance(screen, TraceScreen)
    with qtbot.waitSignal(screen.traced, timeout=WAIT) as traced:
        route(gui, day.unit_scans[0])
    view = traced.args[0]
    assert isinstance(view, TraceView)
    assert screen.banner.outcome is Outcome.ACCEPTED
    whats = [screen.timeline.cell(r, WHAT) for r in range(screen.timeline.rowCount())]
    # A unit's timeline holds its own events and its lot's (made, finally inspected); the
    # receipt of the material it was made from is reached through the genealogy.
    for step in ("Commissioned", "Inspected", "Packed", "Shipped"):
        assert any(w.startswith(step) for w in whats), (step, whats)
    signed = signature_cells(screen)[day.tests[0]]
    assert f"{user('li').name} — Reviewed — " in signed, signed
    assert signed.endswith("verifies"), signed
    uris = screen.genealogy.uris()
    texts = "\n".join(screen.genealogy.texts())
    assert day.device_lot_uri in uris
    day.supplier_lots = set(view.result.backward.supplier_lots)
    assert day.supplier_lots
    assert day.supplier_lots <= uris
    assert {p.uri for p in view.result.backward.suppliers} <= uris
    assert "Supplier: " in texts
    assert {p.uri for p in view.result.forward.customers} == {CUSTOMER}
    assert CUSTOMER in uris
    assert "Shipped to " in texts
    assert CUSTOMER_NAME in texts

    with qtbot.waitSignal(screen.traced, timeout=WAIT):
        route(gui, day.supplier_scan)
    whats = [screen.timeline.cell(r, WHAT) for r in range(screen.timeline.rowCount())]
    assert whats[0].startswith("Received"), whats
    signed = signature_cells(screen)[day.incoming]
    assert f"{user('li').name} — Reviewed — " in signed, signed


def recall(day: Day) -> None:
    """8. Recall workbench: sun picks the device lot's supplier lot."""
    qtbot, gui = day.qtbot, day.gui
    badge_in(qtbot, gui, "sun")
    screen = show(gui, "recall")
    assert isinstance(screen, RecallScreen)
    lot_uri = sorted(day.supplier_lots)[0]
    gtin, lot = rows(gui, "SELECT gtin, lot FROM item_state WHERE uri = :u", u=lot_uri)[0]
    with qtbot.waitSignal(screen.recalled, timeout=WAIT) as recalled:
        route(gui, gs1(gtin, lot=lot))
    affected = recalled.args[0]
    assert isinstance(affected, RecallResult)
    assert set(day.units) <= {u.uri for u in affected.units}
    assert CUSTOMER in affected.by_customer, affected.by_customer
    assert screen.banner.outcome is Outcome.ACCEPTED
    customers = [screen.by_customer.cell(r, 0) for r in range(screen.by_customer.rowCount())]
    assert any(CUSTOMER_NAME in name for name in customers), customers
    assert screen.units.rowCount() == len(affected.units)


def audit(day: Day) -> None:
    """9. Audit: the verification on screen says the ledger is intact; sun signs out."""
    qtbot, gui = day.qtbot, day.gui
    screen = show(gui, "audit")
    assert isinstance(screen, AuditScreen)
    qtbot.waitUntil(lambda: screen.report is not None, timeout=WAIT)
    report = screen.report
    assert isinstance(report, VerifyReport)
    assert report.ok, report.lines()
    assert "Ledger intact" in screen.banner.headline.text()
    assert gui.work is not None
    assert gui.workstation is not None
    gui.work.guard.sign_out()
    assert gui.workstation.session is None


def the_record(day: Day) -> None:
    """The database at the end of the day."""
    qtbot, gui = day.qtbot, day.gui
    assert gui.workstation is not None

    def ends() -> list[str]:
        return [
            json.loads(value).get("ended")
            for (value,) in rows(
                gui,
                "SELECT new_value FROM audit WHERE action = 'logout' AND seq > :before",
                before=day.audit_before,
            )
        ]

    # Each end of a session is recorded on the writer after the window has moved on.
    qtbot.waitUntil(lambda: ends() == ["other_badge"] * 6 + ["logout"], timeout=WAIT)
    for who, sessions in (("wang", 3), ("li", 2), ("zhao", 1), ("sun", 1)):
        trail = rows(
            gui,
            "SELECT action, actor FROM audit WHERE action IN ('login', 'logout')"
            " AND entity = 'user' AND entity_id = :u AND seq > :before ORDER BY seq",
            u=who,
            before=day.audit_before,
        )
        assert trail == [("login", who), ("logout", who)] * sessions, (who, trail)

    def steps(*uris: str) -> list[tuple[str, str]]:
        """(bizStep, actor) of every event naming one of ``uris``, in ledger order."""
        return [
            (str(step), str(actor))
            for step, actor in rows(
                gui,
                "SELECT biz_step, actor FROM event WHERE seq IN (SELECT event_seq FROM"
                " event_ident WHERE uri IN (SELECT value FROM json_each(:u))) ORDER BY seq",
                u=json.dumps(uris),
            )
        ]

    assert steps(day.supplier_uri) == [("receiving", "wang"), ("inspecting", "li")]
    for unit in day.units:  # the shipping event names the case the units are in
        assert steps(unit, sscc_uri(day.sscc)) == [
            ("commissioning", "wang"),
            ("inspecting", "li"),
            ("packing", "wang"),
            ("shipping", "wang"),
        ]
    path = gui.workstation.store.path
    with gui.workstation.store.engine.connect() as conn:
        assert list(verify_all_signatures(conn)) == []
        for event_id in (day.incoming, *day.tests):
            checks = signatures_for(conn, event_id)
            assert [(c.signature.meaning, c.status) for c in checks] == [
                ("reviewed", SignatureStatus.VALID)
            ]
        # As `station verify` does: the keys from the station's key store, if any.
        keys = _key_store_keys(conn, path)
        report = verify_ledger(conn, keys or None)
        conn.rollback()
    assert report.ok, report.lines()
    assert report.records.get("signature") == day.signatures_before + 1 + UNITS


@pytest.mark.req("P11-S1")
@pytest.mark.req("P11-U3")
def test_a_full_day_at_the_station(make_gui: MakeGui, qtbot: QtBot) -> None:
    gui = make_gui("en", demo=True, signed_out=True)
    assert gui.workstation is not None
    assert gui.workstation.session is None
    today = datetime.now(tz=UTC).astimezone().date()
    lot = f"PT{today:%y%m%d}FD"
    day = Day(
        qtbot,
        gui,
        supplier_scan=gs1(MATERIAL.gtin, lot=lot, expiry=today + timedelta(days=730)),
        supplier_uri=lgtin_uri(MATERIAL.gtin, lot),
        audit_before=count(gui, "SELECT coalesce(max(seq), 0) FROM audit"),
        signatures_before=count(gui, "SELECT count(*) FROM signature"),
    )
    assert day.signatures_before > 0  # the demo's inspector signed its history (all verify)
    receive(day)
    inspect_supplier_lot(day)
    print_and_verify(day)
    functional_tests(day)
    pack(day)
    ship(day)
    trace(day)
    recall(day)
    audit(day)
    the_record(day)
