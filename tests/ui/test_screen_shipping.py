"""The shipping screen driven by scans against a real station database."""

from __future__ import annotations

import json

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from tests import floor_data as fd
from tests.floor_data import OPERATOR, gs1, sscc_scan
from tests.ui import floor_env
from tests.ui.floor_env import HOSTILE, Station, assert_plain, last_sound, scan, settle
from tests.ui.helpers import press, type_text
from ui.feedback import Outcome
from ui.qt import Qt
from ui.screens.shipping import ShippingScreen

floor_built = floor_env.floor_built  # fixtures
station = floor_env.station


@pytest.fixture
def screen(station: Station, qtbot: QtBot) -> ShippingScreen:
    made = ShippingScreen(station.env)
    qtbot.addWidget(made)
    made.show()
    made.activated()
    settle(qtbot, made)
    return made


def choose(screen: ShippingScreen, qtbot: QtBot, so: str) -> None:
    scan(screen, f"]C0{so}".encode())
    settle(qtbot, screen)
    assert screen.so == so


def unit_scan(serial: str, gtin: str = fd.DEVICE) -> bytes:
    return gs1(gtin, serial=serial)


def verdict(screen: ShippingScreen) -> Outcome | None:
    return screen.banner.outcome


def test_contract(screen: ShippingScreen) -> None:
    assert (screen.screen_id, screen.shortcut) == ("shipping", "F4")
    assert screen.permission == "shipping.ship"
    assert screen.title() == "Shipping"


def test_scan_so_units_and_a_case_then_ship(
    screen: ShippingScreen, station: Station, qtbot: QtBot
) -> None:
    assert screen.so_box.findData(fd.SO_MAIN) > 0
    choose(screen, qtbot, fd.SO_MAIN)
    assert screen.line_model.rowCount() == 2
    before = station.events("shipping")
    scan(screen, unit_scan("A001"))
    scan(screen, unit_scan("A002"))
    scan(screen, sscc_scan(fd.CASE_FREE))
    settle(qtbot, screen)
    assert verdict(screen) is Outcome.ACCEPTED
    assert screen.unit_count() == 5
    assert screen.line_model.item(0, 5).text() == "5"  # this shipment
    assert station.events("shipping") == before  # listing writes nothing
    press(screen.ship_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert station.events("shipping") == before + 1
    assert "SHIPPED" in screen.banner.headline.text()
    assert verdict(screen) is Outcome.ACCEPTED
    assert station.player.played == [Outcome.ACCEPTED] * 4
    assert screen.line_model.item(0, 3).text() == "5"  # shipped now
    assert screen.listed == []
    with station.store.engine.connect() as conn:
        payload = json.loads(
            conn.execute(text("SELECT payload FROM event ORDER BY seq DESC LIMIT 1")).scalar_one()
        )
    assert payload["bizStep"] == "shipping"
    assert len(payload["epcList"]) == 3


REFUSALS = {
    "not_on_order": (fd.SO_ONE, unit_scan("C001", fd.OTHER_DEVICE), "Wrong product"),
    "on_hold": (fd.SO_MAIN, unit_scan("A030"), "On hold"),
    "not_released": (fd.SO_MAIN, unit_scan("A019"), "Already shipped"),
    "unknown_item": (fd.SO_MAIN, unit_scan("ZZZ1"), "Not known"),
    "in_container": (fd.SO_MAIN, unit_scan("A026"), "Packed in a container"),
    "not_commissioned": (
        fd.SO_MAIN,
        unit_scan(fd.RECEIVED_SERIAL, fd.OTHER_DEVICE),
        "Not commissioned",
    ),
}


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_each_refusal_names_the_reason_and_writes_no_event(
    screen: ShippingScreen, station: Station, qtbot: QtBot, reason: str
) -> None:
    so, raw, words = REFUSALS[reason]
    choose(screen, qtbot, so)
    events, audits = station.events(), station.audits("service.refused")
    scan(screen, raw)
    settle(qtbot, screen)
    assert verdict(screen) is Outcome.REFUSED
    assert last_sound(station) is Outcome.REFUSED
    assert words in screen.banner.headline.text()
    assert screen.listed == []
    assert not screen.ship_button.isEnabled()
    assert station.events() == events
    assert station.audits("service.refused") == audits + 1
    with station.store.engine.connect() as conn:
        new = conn.execute(text("SELECT new_value FROM audit ORDER BY seq DESC LIMIT 1")).scalar()
    assert new is not None
    assert reason in new


def test_listed_twice_and_nothing_before_an_so(
    screen: ShippingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, unit_scan("A001"))
    assert verdict(screen) is Outcome.REFUSED
    assert "sales order first" in screen.banner.headline.text()
    choose(screen, qtbot, fd.SO_MAIN)
    scan(screen, sscc_scan(fd.CASE_FREE))
    scan(screen, unit_scan("A027"))  # inside the case already listed
    settle(qtbot, screen)
    assert verdict(screen) is Outcome.REFUSED
    assert len(screen.listed) == 1
    screen.remove_last()
    assert screen.listed == []


@pytest.mark.req("P11-H1")
def test_a_typed_unit_is_confirmed_and_audited(
    screen: ShippingScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, fd.SO_MAIN)
    type_text(screen.entry, f"01{fd.DEVICE}21A003")
    press(screen.entry, Qt.Key.Key_Return)
    assert verdict(screen) is Outcome.WARNING
    assert screen.listed == []
    press(screen.confirm_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert [item.method for item in screen.listed] == ["manual"]
    screen.ship()
    settle(qtbot, screen)
    assert station.audits("scan.manual") == 1
    assert station.events("shipping") == 2  # the fixture's one and this one
    assert station.last_event()["st:entryMethod"] == "manual"


@pytest.mark.req("P11-H1")
def test_one_typed_item_among_scanned_ones_makes_the_shipment_manual(
    screen: ShippingScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, fd.SO_MAIN)
    scan(screen, unit_scan("A001"))
    settle(qtbot, screen)
    screen.ship()
    settle(qtbot, screen)
    assert station.last_event()["st:entryMethod"] == "scanned"
    assert station.audits("scan.manual") == 0
    scan(screen, unit_scan("A002"))
    type_text(screen.entry, f"01{fd.DEVICE}21A003")
    press(screen.entry, Qt.Key.Key_Return)
    press(screen.confirm_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert [item.method for item in screen.listed] == ["scanned", "manual"]
    screen.ship()
    settle(qtbot, screen)
    assert station.last_event()["st:entryMethod"] == "manual"
    with station.store.engine.connect() as conn:
        audited = conn.execute(
            text("SELECT actor, new_value FROM audit WHERE action = 'scan.manual'")
        ).one()
    assert audited.actor == OPERATOR.actor  # who confirmed
    assert json.loads(audited.new_value)["codes"] == [f"01{fd.DEVICE}21A003"]


def test_the_session_ending_forgets_the_so_and_the_list(
    screen: ShippingScreen, station: Station, qtbot: QtBot
) -> None:
    choose(screen, qtbot, fd.SO_MAIN)
    scan(screen, unit_scan("A001"))
    settle(qtbot, screen)
    assert len(screen.listed) == 1
    station.session_changes()
    assert (screen.so, screen.listed) == (None, [])
    assert screen.so_box.currentIndex() == 0
    assert screen.line_model.rowCount() == 0
    assert screen.model.rowCount() == 0
    assert not screen.ship_button.isEnabled()
    assert screen.customer.full_text() == ""
    assert "Scan the sales order" in screen.banner.headline.text()


@pytest.mark.req("SEC-8")
def test_hostile_text_is_plain(screen: ShippingScreen, station: Station, qtbot: QtBot) -> None:
    choose(screen, qtbot, fd.SO_MAIN)
    scan(screen, gs1(fd.DEVICE, lot=HOSTILE))
    settle(qtbot, screen)
    assert verdict(screen) is Outcome.REFUSED
    scan(screen, f"]d201{fd.DEVICE}21AB\u202eCD".encode())
    assert "\u202e" not in screen.banner.detail.text()
    assert_plain(screen)
