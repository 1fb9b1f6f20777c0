"""The goods-in screen driven by scans against a real station database."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from station.demo import catalogue
from tests import floor_data as fd
from tests.floor_data import OPERATOR, gs1
from tests.ui import floor_env
from tests.ui.floor_env import HOSTILE, Station, assert_plain, last_sound, scan, settle
from tests.ui.helpers import press, type_text
from ui.feedback import Outcome
from ui.qt import Qt
from ui.screens.goods_in import GoodsInScreen

floor_built = floor_env.floor_built  # fixtures
station = floor_env.station
TODAY = OPERATOR.now().date()
GOOD = TODAY + timedelta(days=500)
TUBING = fd.MATERIAL.gtin


@pytest.fixture
def screen(station: Station, qtbot: QtBot) -> GoodsInScreen:
    made = GoodsInScreen(station.env)
    qtbot.addWidget(made)
    made.show()
    made.activated()
    settle(qtbot, made)
    return made


def choose(screen: GoodsInScreen, qtbot: QtBot, po: str) -> None:
    scan(screen, f"]C0{po}".encode())
    settle(qtbot, screen)
    assert screen.po == po


def test_contract(screen: GoodsInScreen) -> None:
    assert (screen.screen_id, screen.shortcut) == ("goods_in", "F2")
    assert screen.permission == "scan.goods_in"
    assert screen.title() == "Goods-in"
    assert screen.objectName() == "goods_inScreen"


def test_scan_po_then_label_then_receive(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    assert screen.po_box.findData("PO-2026-PT") > 0  # the open POs are listed
    choose(screen, qtbot, "PO-2026-PT")
    assert screen.line_model.rowCount() == 1
    assert screen.line_model.item(0, 3).text() == "200"  # received so far
    before = station.events("receiving")
    scan(screen, gs1(TUBING, lot="NEW01", expiry=GOOD))
    settle(qtbot, screen)
    assert screen.lot.full_text() == "NEW01"
    assert screen.expiry.full_text() == GOOD.isoformat()
    assert screen.banner.outcome is Outcome.ACCEPTED
    assert screen.receive_button.isEnabled()
    assert station.events("receiving") == before  # checking writes nothing
    screen.quantity.setValue(25)
    press(screen.receive_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert station.events("receiving") == before + 1
    assert screen.banner.outcome is Outcome.ACCEPTED
    assert "RECEIVED" in screen.banner.headline.text()
    assert station.player.played == [Outcome.ACCEPTED, Outcome.ACCEPTED]
    assert screen.line_model.item(0, 3).text() == "225"
    assert screen.entry.hasFocus() or not screen.isActiveWindow()
    with station.store.engine.connect() as conn:
        payload = json.loads(
            conn.execute(text("SELECT payload FROM event ORDER BY seq DESC LIMIT 1")).scalar_one()
        )
    assert payload["quantityList"][0]["quantity"] == 25
    assert payload["st:actor"] == "op1"


REFUSALS = {
    "unknown_di": ("PO-2026-PT", gs1(catalogue.gtin(99), lot="U1", expiry=GOOD)),
    "not_on_order": ("PO-2026-PT", gs1(catalogue.MATERIALS[1].gtin, lot="W1", expiry=GOOD)),
    "supplier_unqualified": ("PO-2026-XX", gs1(TUBING, lot="X1", expiry=GOOD)),
    "supplier_qualification_expired": (fd.PO_OLD, gs1(TUBING, lot="O1", expiry=GOOD)),
    "duplicate": (fd.PO_DEV, gs1(fd.OTHER_DEVICE, serial=fd.RECEIVED_SERIAL)),
}


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_each_refusal_is_refused_audited_and_writes_no_event(
    screen: GoodsInScreen, station: Station, qtbot: QtBot, reason: str
) -> None:
    po, raw = REFUSALS[reason]
    choose(screen, qtbot, po)
    events, audits = station.events(), station.audits("service.refused")
    scan(screen, raw)
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    assert last_sound(station) is Outcome.REFUSED
    assert screen.verdict is not None
    assert reason in [r.reason for r in screen.verdict.check.final]
    assert not screen.receive_button.isEnabled()
    screen.receive()  # pressing Receive anyway does nothing
    settle(qtbot, screen)
    assert station.events() == events
    assert station.audits("service.refused") == audits + 1
    assert screen.checks.count() >= 1


def test_expired_needs_a_reason_and_the_override_is_recorded(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, "PO-2026-PT")
    scan(screen, gs1(TUBING, lot="OLD1", expiry=TODAY - timedelta(days=2)))
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.WARNING
    assert last_sound(station) is Outcome.WARNING
    assert not screen.receive_button.isEnabled()
    assert screen.override.isEnabled()
    type_text(screen.override, "QA deviation D-7")
    assert screen.receive_button.isEnabled()
    before = station.events("receiving")
    press(screen.override, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert station.events("receiving") == before + 1
    with station.store.engine.connect() as conn:
        payload = json.loads(
            conn.execute(text("SELECT payload FROM event ORDER BY seq DESC LIMIT 1")).scalar_one()
        )
    assert payload["st:override"]["overruled"] == ["expired"]
    assert payload["st:override"]["reason"] == "QA deviation D-7"


@pytest.mark.req("P11-H1")
def test_a_typed_code_needs_confirmation_and_is_audited_as_manual(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, "PO-2026-PT")
    type_text(screen.entry, f"01{TUBING}17{GOOD:%y%m%d}10TYPED1")
    press(screen.entry, Qt.Key.Key_Return)
    assert screen.pending_manual is not None
    assert screen.banner.outcome is Outcome.WARNING
    assert screen.confirm_button.isVisible()
    assert screen.lot.full_text() == ""  # not used before it is confirmed
    press(screen.confirm_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert screen.lot.full_text() == "TYPED1"
    assert screen.entry_note.full_text() == "typed by hand, confirmed"
    screen.receive()
    settle(qtbot, screen)
    assert station.audits("scan.manual") == 1
    assert station.last_event()["st:entryMethod"] == "manual"
    # Esc discards a typed code.
    type_text(screen.entry, f"01{TUBING}10TYPED2")
    press(screen.entry, Qt.Key.Key_Return)
    assert screen.pending_manual is not None
    screen.discard_manual()
    assert screen.pending_manual is None
    assert screen.lot.full_text() == ""


@pytest.mark.req("SEC-8")
def test_hostile_lot_text_is_plain(screen: GoodsInScreen, station: Station, qtbot: QtBot) -> None:
    choose(screen, qtbot, "PO-2026-PT")
    scan(screen, gs1(TUBING, lot=HOSTILE, expiry=GOOD))
    settle(qtbot, screen)
    assert screen.lot.full_text() == HOSTILE
    assert screen.lot.text() == HOSTILE
    assert_plain(screen)
    scan(screen, f"]d201{TUBING}10AB\u202eCD".encode())
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    assert "\u202e" not in screen.banner.detail.text()
    assert_plain(screen)


def test_an_item_before_a_po_and_printing_not_configured(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, gs1(TUBING, lot="N1", expiry=GOOD))
    assert screen.banner.outcome is Outcome.REFUSED
    screen.print_internal()
    assert "Receive something first" in screen.banner.headline.text()
    screen.last_received = {"gtin": TUBING, "lot": "N1"}
    assert screen.print_labels("goods-in", screen.last_received) is False
    assert "not configured" in screen.banner.headline.text()


@pytest.mark.req("P11-H1")
def test_a_scanned_label_records_scanned(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, "PO-2026-PT")
    scan(screen, gs1(TUBING, lot="SCAN01", expiry=GOOD))
    settle(qtbot, screen)
    screen.receive()
    settle(qtbot, screen)
    assert station.last_event()["st:entryMethod"] == "scanned"
    assert station.audits("scan.manual") == 0


def test_the_session_ending_forgets_the_po_and_the_label(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, "PO-2026-PT")
    scan(screen, gs1(TUBING, lot="HALF01", expiry=GOOD))
    settle(qtbot, screen)
    screen.quantity.setValue(40)
    type_text(screen.entry, f"01{TUBING}10TYPED3")
    press(screen.entry, Qt.Key.Key_Return)
    assert screen.pending_manual is not None
    station.session_changes()  # sign-out, lock, idle timeout or another badge
    assert screen.po is None
    assert screen.po_box.currentIndex() == 0
    assert screen.line_model.rowCount() == 0
    assert screen.supplier.full_text() == ""
    assert screen.code is None
    assert screen.verdict is None
    assert not screen.pending_manual  # mypy narrowed it to a tuple above
    assert screen.lot.full_text() == ""
    assert screen.quantity.value() == 1
    assert not screen.confirm_button.isVisible()
    assert not screen.receive_button.isEnabled()
    assert screen.last_received is None
    assert "Scan the purchase order" in screen.banner.headline.text()
    # The next person starts clean: a label alone is refused until a PO is chosen.
    scan(screen, gs1(TUBING, lot="NEXT01", expiry=GOOD))
    assert "purchase order first" in screen.banner.headline.text()


def test_a_read_asked_before_the_session_ended_is_not_shown(
    screen: GoodsInScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, b"]C0PO-2026-PT")  # the PO's lines are being read ...
    station.session_changes()  # ... when the session ends
    settle(qtbot, screen)
    assert screen.po is None
    assert screen.line_model.rowCount() == 0
