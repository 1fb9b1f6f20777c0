"""The packing screen driven by scans against a real station database."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from station.demo import catalogue
from station.events.ids import sscc_uri
from tests import floor_data as fd
from tests.floor_data import OPERATOR, gs1, sscc_scan
from tests.ui import floor_env
from tests.ui.floor_env import HOSTILE, Station, assert_plain, last_sound, scan, settle
from tests.ui.helpers import press, type_text
from ui.feedback import Outcome
from ui.qt import Qt
from ui.screens.packing import PackingScreen

floor_built = floor_env.floor_built  # fixtures
station = floor_env.station
NEXT = catalogue.sscc(502)


@pytest.fixture
def screen(station: Station, qtbot: QtBot) -> PackingScreen:
    station.env.extras["sscc_prefix"] = fd.SSCC_PREFIX
    station.env.extras["sscc_block"] = "500-999"  # the demo's cases 500 and 501 exist
    made = PackingScreen(station.env)
    qtbot.addWidget(made)
    made.show()
    made.activated()
    return made


def unit_scan(serial: str, gtin: str = fd.DEVICE) -> bytes:
    return gs1(gtin, serial=serial)


def verdict(screen: PackingScreen) -> Outcome | None:
    return screen.banner.outcome


def parent_of(station: Station, uri: str) -> str | None:
    with station.store.engine.connect() as conn:
        from station.services.projection import current_state  # noqa: PLC0415

        state = current_state(conn, uri)
    return state.parent_uri if state else None


def test_contract(screen: PackingScreen) -> None:
    assert (screen.screen_id, screen.shortcut, screen.permission) == (
        "packing",
        "F3",
        "packing.pack",
    )
    assert screen.title() == "Packing"


def test_new_sscc_scan_units_and_close(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    press(screen.new_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert screen.sscc == NEXT
    screen.target.setValue(3)
    before = station.events("packing")
    for serial in ("A001", "A002", "A003"):
        scan(screen, unit_scan(serial))
        settle(qtbot, screen)
        assert screen.banner.outcome is Outcome.ACCEPTED
    assert screen.count_label.text() == "3 / 3"
    assert "FULL" in screen.banner.headline.text()
    scan(screen, unit_scan("A004"))  # over the target
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    assert station.events("packing") == before  # nothing recorded before Close
    press(screen.close_button, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert station.events("packing") == before + 1
    assert parent_of(station, fd.unit("A002")) == sscc_uri(NEXT)
    assert "CLOSED" in screen.banner.headline.text()
    assert verdict(screen) is Outcome.ACCEPTED
    assert station.player.played[-1] is Outcome.ACCEPTED
    assert screen.sscc is None
    assert screen.print_sscc_button.isEnabled()
    # The next New SSCC is the one after.
    screen.new_sscc()
    settle(qtbot, screen)
    assert screen.sscc == catalogue.sscc(503)


@pytest.mark.req("DUR-2")
def test_a_new_sscc_is_allocated_before_it_is_shown_and_never_again(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    screen.new_sscc()
    settle(qtbot, screen)
    assert screen.sscc == NEXT
    assert station.count(f"SELECT count(*) FROM sscc_allocation WHERE sscc = '{NEXT}'") == 1
    assert station.audits("sscc.allocate") == 1
    screen.cancel_container()  # never packed: the number stays used all the same
    screen.new_sscc()
    settle(qtbot, screen)
    assert screen.sscc == catalogue.sscc(503)
    # Another screen (a restart) starts after the allocated ones, not after the ledger's.
    screen.cancel_container()
    again = PackingScreen(station.env)
    qtbot.addWidget(again)
    again.new_sscc()
    settle(qtbot, again)
    assert again.sscc == catalogue.sscc(504)


def test_a_used_up_block_is_refused_in_words(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    station.env.extras["sscc_block"] = "500-502"
    screen.new_sscc()
    settle(qtbot, screen)
    assert screen.sscc == NEXT
    screen.cancel_container()
    screen.new_sscc()
    settle(qtbot, screen)
    assert screen.sscc is None
    assert screen.banner.outcome is Outcome.REFUSED
    assert "SSCC block used up" in screen.banner.headline.text()
    assert screen.new_button.isEnabled()
    station.env.extras["sscc_block"] = "12-x"
    screen.new_sscc()
    assert "SSCC prefix or block" in screen.banner.headline.text()


REFUSALS = {
    "on_hold": unit_scan("A030"),
    "already_packed": unit_scan("A021"),
    "not_commissioned": unit_scan(fd.RECEIVED_SERIAL, fd.OTHER_DEVICE),
    "unknown_item": unit_scan("ZZZ999"),
    "wrong_state": unit_scan("A019"),  # shipped
}


@pytest.mark.parametrize("reason", sorted(REFUSALS))
def test_each_refusal_sounds_is_audited_and_writes_nothing(
    screen: PackingScreen, station: Station, qtbot: QtBot, reason: str
) -> None:
    scan(screen, sscc_scan(catalogue.sscc(600)))
    settle(qtbot, screen)
    assert screen.sscc == catalogue.sscc(600)
    events, audits = station.events(), station.audits("service.refused")
    scan(screen, REFUSALS[reason])
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    assert last_sound(station) is Outcome.REFUSED
    assert screen.items == []
    assert station.events() == events
    assert station.audits("service.refused") == audits + 1
    with station.store.engine.connect() as conn:
        from sqlalchemy import text  # noqa: PLC0415

        new = conn.execute(text("SELECT new_value FROM audit ORDER BY seq DESC LIMIT 1")).scalar()
    assert new is not None
    assert reason in new


def test_one_lot_per_container(screen: PackingScreen, station: Station, qtbot: QtBot) -> None:
    screen.one_lot.setChecked(True)
    scan(screen, sscc_scan(catalogue.sscc(601)))
    scan(screen, unit_scan("A001"))  # while the container is looked up: taken after
    scan(screen, unit_scan("B001"))  # checked before A001 is listed: refused when answered
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    assert "Wrong lot" in screen.banner.headline.text()
    assert [i.serial for i in screen.items] == ["A001"]


def test_a_case_onto_a_pallet(screen: PackingScreen, station: Station, qtbot: QtBot) -> None:
    screen.level.setCurrentIndex(1)
    assert screen.target.value() == 4
    scan(screen, sscc_scan(catalogue.sscc(700)))
    settle(qtbot, screen)
    scan(screen, sscc_scan(fd.CASE_FREE))
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.ACCEPTED
    screen.close_container()
    settle(qtbot, screen)
    assert parent_of(station, sscc_uri(fd.CASE_FREE)) == sscc_uri(catalogue.sscc(700))


def test_unpack_needs_a_reason_and_the_permission(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, sscc_scan(fd.CASE_PACKED))
    settle(qtbot, screen)
    assert screen.viewed is not None
    assert screen.model.rowCount() == 5
    before = station.events("unpacking")
    screen.unpack()
    assert screen.banner.outcome is Outcome.REFUSED  # no reason
    operator_only = replace(OPERATOR, roles=frozenset({"operator"}))
    station.env.context = lambda: operator_only
    type_text(screen.reason, "damaged carton")
    screen.unpack()
    settle(qtbot, screen)
    assert "not permitted" in screen.banner.headline.text()
    assert station.audits("access.denied") == 1
    assert station.events("unpacking") == before
    station.env.context = lambda: OPERATOR
    screen.table.selectRow(0)
    press(screen.reason, Qt.Key.Key_Return)
    settle(qtbot, screen)
    assert station.events("unpacking") == before + 1
    assert "UNPACKED" in screen.banner.headline.text()
    assert screen.model.rowCount() == 4
    assert parent_of(station, fd.unit("A021")) is None


@pytest.mark.req("P11-H1")
def test_a_typed_unit_is_confirmed_and_audited(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, sscc_scan(catalogue.sscc(602)))
    settle(qtbot, screen)
    type_text(screen.entry, f"01{fd.DEVICE}21A005")
    press(screen.entry, Qt.Key.Key_Return)
    assert screen.banner.outcome is Outcome.WARNING
    assert screen.items == []
    screen.confirm_manual()
    settle(qtbot, screen)
    assert [i.method for i in screen.items] == ["manual"]
    screen.close_container()
    settle(qtbot, screen)
    assert station.audits("scan.manual") == 1
    assert station.last_event()["st:entryMethod"] == "manual"


@pytest.mark.req("P11-H1")
def test_a_scanned_container_records_scanned(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, sscc_scan(catalogue.sscc(604)))
    settle(qtbot, screen)
    scan(screen, unit_scan("A006"))
    settle(qtbot, screen)
    screen.close_container()
    settle(qtbot, screen)
    assert station.last_event()["st:entryMethod"] == "scanned"
    assert station.audits("scan.manual") == 0


@pytest.mark.req("P11-H1")
def test_a_typed_sscc_makes_the_event_manual(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    type_text(screen.entry, f"(00){catalogue.sscc(605)}")
    press(screen.entry, Qt.Key.Key_Return)
    screen.confirm_manual()
    settle(qtbot, screen)
    assert screen.sscc == catalogue.sscc(605)
    scan(screen, unit_scan("A007"))  # the unit is scanned, the container label was typed
    settle(qtbot, screen)
    screen.close_container()
    settle(qtbot, screen)
    assert station.last_event()["st:entryMethod"] == "manual"
    assert station.audits("scan.manual") == 1


def test_the_session_ending_forgets_the_open_container(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, sscc_scan(catalogue.sscc(606)))
    settle(qtbot, screen)
    scan(screen, unit_scan("A008"))
    settle(qtbot, screen)
    assert len(screen.items) == 1
    station.session_changes()
    assert (screen.sscc, screen.items, screen.viewed) == (None, [], None)
    assert screen.model.rowCount() == 0
    assert not screen.close_button.isEnabled()
    assert "READY" in screen.banner.headline.text()


@pytest.mark.req("SEC-8")
def test_hostile_text_is_plain_and_printing(
    screen: PackingScreen, station: Station, qtbot: QtBot
) -> None:
    scan(screen, sscc_scan(catalogue.sscc(603)))
    settle(qtbot, screen)
    scan(screen, unit_scan(HOSTILE))
    settle(qtbot, screen)
    assert screen.banner.outcome is Outcome.REFUSED
    scan(screen, f"]d201{fd.DEVICE}21AB\u202eCD".encode())
    assert "\u202e" not in screen.banner.detail.text()
    assert_plain(screen)
    opened: list[bool] = []
    screen.print_units()
    assert "not configured" in screen.banner.headline.text()
    station.env.extras["open_print_dialog"] = lambda: opened.append(True)
    screen.print_units()
    assert opened == [True]


def test_no_prefix_and_items_before_a_container(station: Station, qtbot: QtBot) -> None:
    made = PackingScreen(station.env)
    qtbot.addWidget(made)
    made.new_sscc()
    assert "No SSCC prefix" in made.banner.headline.text()
    scan(made, unit_scan("A001"))
    assert made.banner.outcome is Outcome.REFUSED
    assert "Open a container" in made.banner.headline.text()
